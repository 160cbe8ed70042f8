// Loads the routing Lua scripts (one atomic change each, `<name>-<number of keys>.lua`, with its
// KEYS/ARGV in a header) and runs them. They are shipped to Redis as ONE function library
// (Redis 7 `FUNCTION LOAD`): the shared helpers (includes/) are then built once when the library
// loads, not on every call as with EVAL, which roughly halves the cost of a routing decision.
// On a Redis without functions (before 7.0) each script runs with EVALSHA instead, helpers
// inlined. The generated parts — key functions (store/keys.ts), the agent and call state tables
// (agent-state.ts, call-state.ts), the strategies' scores (strategies/) — are rendered from the
// TypeScript that defines them, so each is defined once.
// Written by hand rather than with ioredis' defineCommand so that nothing is registered on (and
// so mutates) the shared connection other modules use.
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

/** The helpers every script may use, in dependency order. */
const helperOrder = [
  'keys',
  'moves',
  'strategies',
  'util',
  'agent',
  'eligible',
  'call',
  'index',
  'index-agents',
  'index-calls',
  'index-build',
  'find',
  'reserve',
];

const generated: Record<string, () => string> = {
  keys: () => routingLuaKeyFunctions('BASE'),
  moves: () => `${agentMovesLua()}\n${callMovesLua()}`,
  strategies: strategiesLua,
};

function helper(name: string): string {
  const make = generated[name];
  return `-- <${name}>\n${make ? make() : readFileSync(path.join(here, 'includes', `${name}.lua`), 'utf8')}\n-- </${name}>`;
}

/** The body of a script: its header comment and code, without its @include lines. */
function bodyOf(source: string): string {
  return source.replace(/^--- @include "[\w-]+"\n/gm, '');
}

/**
 * A script's code: what the library builds once (`defs`, before a `--- @run` line: its own
 * functions and the variables they share, which each run sets) and what each run does (`body`).
 * A function made in the body is made again on every run (a closure, its upvalues, and garbage).
 */
interface ScriptFile {
  name: string;
  numberOfKeys: number;
  defs: string;
  body: string;
}

function splitRun(code: string): { defs: string; body: string } {
  const at = code.indexOf('\n--- @run\n');
  if (at < 0) return { defs: '', body: code };
  return { defs: code.slice(0, at), body: code.slice(at + '\n--- @run\n'.length) };
}

function readScripts(): ScriptFile[] {
  return readdirSync(here)
    .filter((f) => f.endsWith('.lua'))
    .sort()
    .map((file) => {
      const match = /^(\w+)-(\d+)\.lua$/.exec(file);
      if (!match) throw new Error(`routing script ${file} is not named <name>-<keys>.lua`);
      return {
        name: match[1]!,
        numberOfKeys: Number(match[2]),
        ...splitRun(bodyOf(readFileSync(path.join(here, file), 'utf8'))),
      };
    });
}

// redis.call cannot be read while a library loads: each call binds it. NOW_S is the clock as the
// text it came in (when it is an integer, as the node's clock gives it): a number handed to
// redis.call or joined into a string is formatted with sprintf, which costs more than most commands.
// The globals the scripts use are made the library's locals, bound at the first run (a library's
// globals cannot be read while it loads): a function's globals are an empty table whose metatable
// leads to the real ones, so every use of a global was two table lookups and a metatable's.
const globalNames =
  'ipairs, pairs, next, tonumber, tostring, type, unpack, pcall, error, string, math, table, cjson';
const prologue = [
  'local rcall',
  "local BASE = ''",
  'local NOW = 0',
  "local NOW_S = '0'",
  `local function run_globals() return ${globalNames} end`,
  `local ${globalNames}`,
].join('\n');
const bindGlobals = `if not ipairs then ${globalNames} = run_globals() end`;

/** The clock's two forms, set at the start of every run (library function or EVAL). */
const clockLua = `${bindGlobals}\nNOW = tonumber(ARGV[2])\nNOW_S = string.find(ARGV[2], '^%d+$') and ARGV[2] or tostring(NOW)`;

/** A script as the library function `fn` (its own definitions in a block with it). */
function wrap(fn: string, s: Pick<ScriptFile, 'defs' | 'body'>): string {
  const register = `redis.register_function('${fn}', function(KEYS, ARGV)\n  rcall = redis.call\n  BASE = ARGV[1]\n  ${clockLua}\n  RUN_WRITES = nil\n  ix_run_begin()\n  rec_run_begin()\n  local ok, out = pcall(function()\n${s.body}\n  end)\n  if not ok then\n    ix_forget()\n    error(out, 0)\n  end\n  return out\nend)`;
  return s.defs ? `do\n${s.defs}\n${register}\nend` : register;
}

/** Every script as one Redis function library; function names carry the library's hash. */
export function buildLibrary(): { name: string; code: string; functions: Map<string, ScriptFile> } {
  const scripts = readScripts();
  const helpers = helperOrder.map(helper).join('\n');
  // the name follows every line the library is made of, the frame each script runs in included
  const draft = [
    prologue,
    clockLua,
    wrap('FN', { defs: 'DEFS', body: 'BODY' }),
    helpers,
    ...scripts.map((s) => `${s.name}\n${s.defs}\n${s.body}`),
  ].join('\n');
  const hash = createHash('sha1').update(draft).digest('hex').slice(0, 12);
  const name = `hotline_routing_${hash}`;
  const functions = new Map<string, ScriptFile>();
  const parts = [`#!lua name=${name}`, prologue, helpers];
  for (const s of scripts) {
    const fn = `routing_${hash}_${s.name}`;
    functions.set(s.name, s);
    // ARGV[1] is the key base and ARGV[2] the clock for every script (see each header); writes
    // left pending by a run that failed (util.lua's RUN_WRITES) must not leak into the next, and
    // the match index of a run that failed half way may no longer match the keys: it is dropped
    // (index.lua's ix_forget) and the error raised again
    parts.push(wrap(fn, s));
  }
  return { name, code: parts.join('\n'), functions };
}

/** One script as plain EVAL source (helpers inlined), for a Redis without functions. */
function evalSource(s: ScriptFile): string {
  return [
    prologue,
    'rcall = redis.call',
    'BASE = ARGV[1]',
    clockLua,
    ...helperOrder.map(helper),
    // no library memory between EVALs: no match index (index.lua), decisions read the keys
    'IX_ON = false',
    'ix_run_begin()',
    s.defs,
    // the body's `return`s end the chunk, as they end the function in the library
    `local function main()\n${s.body}\nend\nreturn main()`,
  ].join('\n');
}

export class RoutingScripts {
  private readonly library = buildLibrary();
  private readonly hash = this.library.name.replace('hotline_routing_', '');
  /** null until the first call decides; then whether this Redis runs functions. */
  private functions: boolean | null = null;
  private loading: Promise<void> | null = null;
  private readonly evalShas = new Map<string, { sha: string; source: string }>();

  names(): string[] {
    return [...this.library.functions.keys()];
  }

  private async load(redis: Redis): Promise<void> {
    try {
      await redis.call('FUNCTION', 'LOAD', this.library.code);
      this.functions = true;
    } catch (err) {
      const message = (err as Error).message;
      if (/already exists/i.test(message)) this.functions = true;
      else if (/unknown command|unknown subcommand/i.test(message)) this.functions = false;
      else throw err;
    }
  }

  private ensureLoaded(redis: Redis): Promise<void> {
    this.loading ??= this.load(redis).catch((err: unknown) => {
      this.loading = null;
      throw err;
    });
    return this.loading;
  }

  async run(redis: Redis, name: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    const script = this.library.functions.get(name);
    if (!script) throw new Error(`no routing script ${name}`);
    if (keys.length !== script.numberOfKeys)
      throw new Error(`${name} takes ${script.numberOfKeys} keys, got ${keys.length}`);
    if (this.functions === null) await this.ensureLoaded(redis);
    if (this.functions) {
      const fn = `routing_${this.hash}_${name}`;
      try {
        return await redis.fcall(fn, keys.length, ...keys, ...args);
      } catch (err) {
        // a Redis restarted without persistence, or FUNCTION FLUSH: load again once
        if (!(err instanceof Error) || !/function not found/i.test(err.message)) throw err;
        this.loading = null;
        await this.ensureLoaded(redis);
        return redis.fcall(fn, keys.length, ...keys, ...args);
      }
    }
    let compiled = this.evalShas.get(name);
    if (!compiled) {
      const source = evalSource(script);
      compiled = { sha: createHash('sha1').update(source).digest('hex'), source };
      this.evalShas.set(name, compiled);
    }
    try {
      return await redis.evalsha(compiled.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(compiled.source, keys.length, ...keys, ...args);
    }
  }
}
