// Loads the routing Lua scripts (one atomic change each, `<name>-<number of keys>.lua`) and runs
// them with EVALSHA, falling back to EVAL once when Redis does not have the script yet.
// `--- @include "name"` pulls in a file from includes/ or one of the generated parts: the key
// functions (from store/keys.ts), the agent and call state tables (agent-state.ts,
// call-state.ts) and the strategies' scores (strategies/), so each of those is defined once.
// Written by hand rather than with ioredis' defineCommand so that scripts do not have to be
// registered on (and so mutate) the shared connection other modules use.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from '../../store/index.js';
import { routingLuaKeyFunctions } from '../../store/index.js';
import { agentMovesLua } from '../agent-state.js';
import { callMovesLua } from '../call-state.js';
import { strategiesLua } from '../strategies/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

const generated: Record<string, () => string> = {
  keys: () => routingLuaKeyFunctions('BASE'),
  moves: () => `${agentMovesLua()}\n${callMovesLua()}`,
  strategies: strategiesLua,
};

function resolveIncludes(source: string, seen: Set<string>): string {
  return source.replace(/^--- @include "([\w-]+)"$/gm, (_line, name: string) => {
    if (seen.has(name)) return '';
    seen.add(name);
    const make = generated[name];
    const body = make ? make() : readFileSync(path.join(here, 'includes', `${name}.lua`), 'utf8');
    return `-- <${name}>\n${resolveIncludes(body, seen)}\n-- </${name}>`;
  });
}

export class LuaScript {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly numberOfKeys: number,
    readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    if (keys.length !== this.numberOfKeys)
      throw new Error(`${this.name} takes ${this.numberOfKeys} keys, got ${keys.length}`);
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

export function loadScripts(): Map<string, LuaScript> {
  const scripts = new Map<string, LuaScript>();
  for (const file of readdirSync(here).filter((f) => f.endsWith('.lua'))) {
    const match = /^(\w+)-(\d+)\.lua$/.exec(file);
    if (!match) throw new Error(`routing script ${file} is not named <name>-<keys>.lua`);
    const source = resolveIncludes(readFileSync(path.join(here, file), 'utf8'), new Set());
    scripts.set(match[1]!, new LuaScript(match[1]!, Number(match[2]), source));
  }
  return scripts;
}
