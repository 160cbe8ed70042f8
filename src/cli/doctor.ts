// `hotline doctor`: checks what Hotline needs on this machine and says, for each thing missing,
// the command that fixes it.
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type HotlineConfig } from '../config.js';
import { createDb, createRedis, listMigrations, RedisKeys } from '../store/index.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to run or change to fix it. */
  fix?: string;
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface SystemPackage {
  pkg: string;
  probe: string;
  neededBy: 'start' | 'tests';
}

export function readSystemPackages(
  file = path.join(projectRoot, 'scripts/system-packages.txt'),
): SystemPackage[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [pkg = '', probe = '', neededBy = 'start'] = line.split(/\s+/);
      return { pkg, probe, neededBy: neededBy === 'tests' ? 'tests' : 'start' };
    });
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function checkSystemPackages(packages = readSystemPackages()): CheckResult[] {
  return packages.map(({ pkg, probe, neededBy }) => {
    const present = probe.startsWith('/') ? existsSync(probe) : onPath(probe);
    if (present) return { name: `package ${pkg}`, status: 'ok', detail: `found ${probe}` };
    return {
      name: `package ${pkg}`,
      status: neededBy === 'start' ? 'fail' : 'warn',
      detail: `${probe} not found (needed by ${neededBy === 'start' ? 'the hotline' : 'the tests'})`,
      fix: `apt-get install -y ${pkg}`,
    };
  });
}

export function checkNode(version = process.versions.node): CheckResult {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > 20 || (major === 20 && minor >= 12);
  return ok
    ? { name: 'node', status: 'ok', detail: `Node.js ${version}` }
    : {
        name: 'node',
        status: 'fail',
        detail: `Node.js ${version} is too old`,
        fix: 'install Node.js 20.12 or newer',
      };
}

export async function checkPostgres(config: HotlineConfig): Promise<CheckResult[]> {
  const db = createDb({ database: { ...config.database, poolSize: 1 } });
  const safeUrl = config.database.url.replace(/\/\/([^:@/]+):[^@]*@/, '//$1:***@');
  try {
    await db.query('SELECT 1');
    const known = new Set(listMigrations());
    const applied = await db
      .query<{ name: string }>('SELECT name FROM schema_migrations')
      .then((r) => r.rows.map((row) => row.name))
      .catch(() => [] as string[]);
    const pending = [...known].filter((m) => !applied.includes(m));
    return [
      { name: 'postgres', status: 'ok', detail: `connected to ${safeUrl}` },
      pending.length
        ? {
            name: 'migrations',
            status: 'warn',
            detail: `${pending.length} pending (${pending.join(', ')})`,
            fix: 'hotline db migrate (hotline start also applies them)',
          }
        : { name: 'migrations', status: 'ok', detail: `all ${known.size} applied` },
    ];
  } catch (err) {
    const message = (err as Error).message;
    const fix = /does not exist/.test(message)
      ? 'bash scripts/start-services.sh (creates the database), or createdb it yourself'
      : 'bash scripts/start-services.sh, or set HOTLINE_DATABASE_URL to a reachable PostgreSQL';
    return [{ name: 'postgres', status: 'fail', detail: `${safeUrl}: ${message}`, fix }];
  } finally {
    await db.end().catch(() => undefined);
  }
}

export async function checkRedis(config: HotlineConfig): Promise<CheckResult> {
  const redis = createRedis(config, { name: 'doctor', failFast: true });
  let connectionError: Error | undefined;
  redis.on('error', (err: Error) => (connectionError = err));
  try {
    const key = new RedisKeys(config.redis.keyPrefix).doctorProbe();
    await redis.set(key, 'ok', 'EX', 10);
    const value = await redis.get(key);
    if (value !== 'ok') throw new Error('wrote a key but read back something else');
    const info = await redis.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
    return { name: 'redis', status: 'ok', detail: `Redis ${version} at ${config.redis.url}` };
  } catch (err) {
    return {
      name: 'redis',
      status: 'fail',
      detail: `${config.redis.url}: ${(connectionError ?? (err as Error)).message}`,
      fix: 'bash scripts/start-services.sh, or set HOTLINE_REDIS_URL to a reachable Redis',
    };
  } finally {
    redis.disconnect();
  }
}

function tcpPortFree(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

function udpPortFree(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.close();
      resolve(err.code ?? err.message);
    });
    socket.bind({ address: host, port, exclusive: true }, () => socket.close(() => resolve(null)));
  });
}

export async function checkPorts(config: HotlineConfig): Promise<CheckResult[]> {
  const wanted: { what: string; host: string; port: number; proto: 'tcp' | 'udp'; env: string }[] = [
    { what: 'API', host: config.api.host, port: config.api.port, proto: 'tcp', env: 'HOTLINE_API_PORT' },
  ];
  if (config.ari.mode === 'embedded') {
    const ari = new URL(config.ari.url);
    wanted.push(
      { what: 'ARI', host: ari.hostname, port: Number(ari.port || 80), proto: 'tcp', env: 'HOTLINE_ARI_URL' },
      {
        what: 'SIP/UDP',
        host: config.media.bindAddress,
        port: config.media.sipUdpPort,
        proto: 'udp',
        env: 'HOTLINE_MEDIA_SIP_UDP_PORT',
      },
      {
        what: 'SIP/TCP',
        host: config.media.bindAddress,
        port: config.media.sipTcpPort,
        proto: 'tcp',
        env: 'HOTLINE_MEDIA_SIP_TCP_PORT',
      },
    );
  }
  return Promise.all(
    wanted.map(async ({ what, host, port, proto, env }) => {
      const problem = proto === 'tcp' ? await tcpPortFree(host, port) : await udpPortFree(host, port);
      const name = `port ${what}`;
      if (!problem) return { name, status: 'ok' as const, detail: `${proto} ${host}:${port} is free` };
      const inUse = problem === 'EADDRINUSE';
      return {
        name,
        status: 'fail' as const,
        detail: `${proto} ${host}:${port}: ${inUse ? 'in use (is Hotline, or another server, already running?)' : problem}`,
        fix: inUse
          ? `stop what listens there (ss -lpn | grep :${port}) or set ${env}`
          : `set ${env} to an address this machine has`,
      };
    }),
  );
}

/** Runs every check. `config` is null when the configuration itself did not load. */
export async function runDoctor(env: NodeJS.ProcessEnv = process.env): Promise<CheckResult[]> {
  const results: CheckResult[] = [checkNode()];
  let config: HotlineConfig;
  try {
    config = loadConfig(env);
    results.push({
      name: 'config',
      status: 'ok',
      detail: env.HOTLINE_CONFIG ? `loaded ${env.HOTLINE_CONFIG}` : 'defaults and HOTLINE_* variables',
    });
  } catch (err) {
    results.push({
      name: 'config',
      status: 'fail',
      detail: (err as Error).message,
      fix: 'correct the variables named above (see .env.example)',
    });
    return [...results, ...checkSystemPackages()];
  }
  const [postgres, redis, ports] = await Promise.all([
    checkPostgres(config),
    checkRedis(config),
    checkPorts(config),
  ]);
  return [...results, ...postgres, redis, ...ports, ...checkSystemPackages()];
}

export function formatDoctor(results: CheckResult[]): string {
  const mark: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };
  const width = Math.max(...results.map((r) => r.name.length));
  const lines = results.map((r) => {
    const line = `${mark[r.status]}  ${r.name.padEnd(width)}  ${r.detail}`;
    return r.fix ? `${line}\n      ${' '.repeat(width)}  fix: ${r.fix}` : line;
  });
  const failed = results.filter((r) => r.status === 'fail').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  lines.push(
    '',
    failed
      ? `${failed} problem(s) stop Hotline from starting; ${warned} warning(s).`
      : `Ready to start; ${warned} warning(s).`,
  );
  return lines.join('\n');
}
