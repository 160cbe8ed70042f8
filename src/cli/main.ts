// The `hotline` command: the single entry point for operators.
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { startHotline, stopOnSignals } from '../app.js';
import { createDb, migrate } from '../store/index.js';
import { formatDoctor, runDoctor } from './doctor.js';
import { registerFlowsCommands } from './flows.js';
import { registerMediaCommands } from './media.js';
import { registerQaCommands } from './qa.js';

/** Loads the configuration or ends the process with the list of bad fields. */
function configOrExit() {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

export function buildCli(): Command {
  const program = new Command('hotline')
    .description('Hotline: an IVR and contact-center engine (SIP, ARI, routing, transcription, QA)')
    .showHelpAfterError();

  program
    .command('start')
    .description('start the hotline (embedded media server, IVR, routing, API)')
    .action(async () => {
      const config = configOrExit();
      const log = createLogger(config);
      const hotline = await startHotline(config, log);
      stopOnSignals(hotline, log);
    });

  const db = program.command('db').description('database administration');
  db.command('migrate')
    .description('apply pending Postgres migrations')
    .action(async () => {
      const config = configOrExit();
      const pool = createDb(config);
      try {
        const result = await migrate(pool);
        process.stdout.write(
          result.applied.length
            ? `Applied ${result.applied.length} migration(s): ${result.applied.join(', ')}\n`
            : `Database is up to date (${result.alreadyApplied.length} migration(s) applied before).\n`,
        );
      } finally {
        await pool.end();
      }
    });

  program
    .command('doctor')
    .description('check Redis, Postgres, ports and system tools, and say how to fix what is missing')
    .action(async () => {
      const results = await runDoctor();
      process.stdout.write(`${formatDoctor(results)}\n`);
      process.exitCode = results.some((r) => r.status === 'fail') ? 1 : 0;
    });

  registerQaCommands(program);
  registerFlowsCommands(program, configOrExit);
  registerMediaCommands(program);

  return program;
}

if (process.env.NODE_ENV !== 'test') {
  try {
    process.loadEnvFile?.('.env');
  } catch {
    // no .env file: configuration comes from the environment and HOTLINE_CONFIG only
  }
  buildCli()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.stderr.write(`hotline: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
