import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, envNameOf, knownEnvVars, loadConfig } from './config.js';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('starts from working defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.api.port).toBe(8080);
    expect(config.media.sipUdpPort).toBe(5060);
    expect(config.ari.mode).toBe('embedded');
    expect(config.redis.keyPrefix).toBe('hotline');
  });

  it('names environment variables after the field path', () => {
    expect(envNameOf(['media', 'sipUdpPort'])).toBe('HOTLINE_MEDIA_SIP_UDP_PORT');
    expect(knownEnvVars()).toContain('HOTLINE_DATABASE_URL');
    expect(knownEnvVars()).toContain('HOTLINE_LOG_LEVEL');
  });

  it('reads typed values from HOTLINE_ variables', () => {
    const config = loadConfig({
      HOTLINE_API_PORT: '9090',
      HOTLINE_LOG_PRETTY: 'false',
      HOTLINE_MEDIA_SOUNDS_DIRS: '["a","b"]',
    });
    expect(config.api.port).toBe(9090);
    expect(config.log.pretty).toBe(false);
    expect(config.media.soundsDirs).toEqual(['a', 'b']);
  });

  it('refuses a port that is not a number and names the variable', () => {
    const problems = problemsOf(() => loadConfig({ HOTLINE_API_PORT: 'eighty' }));
    expect(problems).toEqual(['HOTLINE_API_PORT: expected a number, got "eighty"']);
  });

  it('refuses an out-of-range port with the variable and the field path', () => {
    const [problem] = problemsOf(() => loadConfig({ HOTLINE_MEDIA_SIP_UDP_PORT: '70000' }));
    expect(problem).toMatch(/^HOTLINE_MEDIA_SIP_UDP_PORT \(media\.sipUdpPort\): /);
    expect(problem).toMatch(/65535/);
  });

  it('refuses an unknown log level and lists what is allowed', () => {
    const [problem] = problemsOf(() => loadConfig({ HOTLINE_LOG_LEVEL: 'loud' }));
    expect(problem).toMatch(/^HOTLINE_LOG_LEVEL \(log\.level\): /);
    expect(problem).toMatch(/info/);
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf(() =>
      loadConfig({
        HOTLINE_ARI_MODE: 'cloud',
        HOTLINE_DATABASE_URL: 'not a url',
        HOTLINE_LOG_PRETTY: 'maybe',
      }),
    );
    expect(problems).toEqual(['HOTLINE_LOG_PRETTY: expected true or false, got "maybe"']);
    const later = problemsOf(() =>
      loadConfig({ HOTLINE_ARI_MODE: 'cloud', HOTLINE_DATABASE_URL: 'not a url' }),
    );
    expect(later).toHaveLength(2);
    expect(later.join('\n')).toMatch(/HOTLINE_ARI_MODE \(ari\.mode\)/);
    expect(later.join('\n')).toMatch(/HOTLINE_DATABASE_URL \(database\.url\)/);
  });

  it('refuses an RTP port range that is upside down', () => {
    const [problem] = problemsOf(() =>
      loadConfig({ HOTLINE_MEDIA_RTP_PORT_MIN: '30000', HOTLINE_MEDIA_RTP_PORT_MAX: '20000' }),
    );
    expect(problem).toMatch(/HOTLINE_MEDIA_RTP_PORT_MIN/);
  });

  it('reads a YAML config file, with variables taking precedence over it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hotline-config-'));
    const file = path.join(dir, 'hotline.yaml');
    writeFileSync(file, 'api:\n  port: 7000\n  host: 0.0.0.0\nredis:\n  keyPrefix: site-a\n');
    const config = loadConfig({ HOTLINE_CONFIG: file, HOTLINE_API_PORT: '7001' });
    expect(config.api).toEqual({ host: '0.0.0.0', port: 7001 });
    expect(config.redis.keyPrefix).toBe('site-a');
  });

  it('names the file and the field when the config file holds a bad value', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hotline-config-'));
    const file = path.join(dir, 'hotline.yaml');
    writeFileSync(file, 'redis:\n  keyPrefix: "has spaces"\n');
    const [problem] = problemsOf(() => loadConfig({ HOTLINE_CONFIG: file }));
    expect(problem).toBe(`${file}: redis.keyPrefix: letters, digits, _ . - only`);
  });

  it('says so when the config file is missing or not YAML', () => {
    expect(problemsOf(() => loadConfig({ HOTLINE_CONFIG: '/no/such/file.yaml' }))[0]).toMatch(
      /file not found/,
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'hotline-config-'));
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, 'api: [unclosed\n');
    expect(problemsOf(() => loadConfig({ HOTLINE_CONFIG: file }))[0]).toMatch(/not valid YAML/);
  });
});

describe('.env.example', () => {
  it('documents every variable the configuration understands', async () => {
    const { readFileSync } = await import('node:fs');
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const documented = new Set([...example.matchAll(/^# (HOTLINE_[A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const missing = knownEnvVars().filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });
});
