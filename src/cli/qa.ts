// `hotline qa ...`: batch re-analysis of imported transcripts (JSON lines, docs/qa.md) with a
// progress bar, and the analyst report for a period from the database.
import { createReadStream, createWriteStream, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig, resolvePath } from '../config.js';
import {
  analyseCall,
  buildReport,
  loadRules,
  qaStore,
  reportCsv,
  reportHtml,
  transcriptFromLine,
  TranscriptImportError,
  type CallAnalysis,
} from '../qa/index.js';
import { createDb, migrate } from '../store/index.js';

interface AnalyseFlags {
  rules?: string;
  out?: string;
  store?: boolean;
  redact: boolean;
  report?: string;
  progress: boolean;
}

function progressBar(total: number, enabled: boolean) {
  if (!enabled) return null;
  // On stderr, so stdout stays clean for the JSON lines of results.
  const bar = new SingleBar({
    format: 'analysing [{bar}] {percentage}% | {value}/{total} bytes | {calls} calls | {errors} bad lines',
    stream: process.stderr,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 2000,
  });
  bar.start(total, 0, { calls: 0, errors: 0 });
  return bar;
}

async function analyseFile(file: string, flags: AnalyseFlags): Promise<void> {
  const config = loadConfig();
  const rules = loadRules(flags.rules ? path.resolve(flags.rules) : resolvePath(config, config.qa.rulesDir));
  const size = statSync(file).size;
  const out = flags.out ? createWriteStream(flags.out) : process.stdout;
  const db = flags.store ? createDb(config) : null;
  if (db) await migrate(db);
  const bar = progressBar(size, flags.progress);
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  const analyses: CallAnalysis[] = [];
  const problems: string[] = [];
  let bytes = 0;
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber++;
      bytes += Buffer.byteLength(line, 'utf8') + 1;
      if (line.trim()) {
        try {
          const analysis = analyseCall(transcriptFromLine(line, lineNumber), { rules, redact: flags.redact });
          if (db) await qaStore.saveAnalysis(db, analysis, 'import');
          if (flags.report) analyses.push(analysis);
          if (!out.write(`${JSON.stringify(analysis)}\n`))
            await new Promise<void>((r) => out.once('drain', () => r()));
        } catch (err) {
          if (!(err instanceof TranscriptImportError)) throw err;
          problems.push(err.message);
        }
      }
      bar?.update(Math.min(bytes, size), { calls: lineNumber - problems.length, errors: problems.length });
    }
  } finally {
    bar?.stop();
    await db?.end();
  }
  if (flags.out) await new Promise<void>((r) => (out as ReturnType<typeof createWriteStream>).end(() => r()));
  if (flags.report && analyses.length) {
    const times = analyses.map((a) => Date.parse(a.startedAt));
    const report = buildReport(analyses, new Date(Math.min(...times)), new Date(Math.max(...times) + 1));
    writeFileSync(
      flags.report,
      flags.report.endsWith('.csv')
        ? reportCsv(report)
        : flags.report.endsWith('.json')
          ? JSON.stringify(report)
          : reportHtml(report),
    );
  }
  for (const p of problems.slice(0, 20)) process.stderr.write(`skipped ${p}\n`);
  if (problems.length > 20) process.stderr.write(`... and ${problems.length - 20} more bad lines\n`);
  process.stderr.write(
    `analysed ${lineNumber - problems.length} call(s) from ${file}${problems.length ? `, ${problems.length} bad line(s) skipped` : ''}\n`,
  );
  if (problems.length) process.exitCode = 1;
}

async function writeReport(opts: {
  from?: string;
  to?: string;
  format: string;
  out?: string;
}): Promise<void> {
  const config = loadConfig();
  const to = opts.to ? new Date(opts.to) : new Date();
  const from = opts.from ? new Date(opts.from) : new Date(to.getTime() - 7 * 86_400_000);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to)
    throw new Error('--from and --to must be dates (2026-11-01) with --from before --to');
  const db = createDb(config);
  try {
    const report = buildReport(await qaStore.analysesIn(db, { from, to }), from, to);
    const text =
      opts.format === 'csv'
        ? reportCsv(report)
        : opts.format === 'json'
          ? JSON.stringify(report, null, 2)
          : reportHtml(report);
    if (opts.out) writeFileSync(opts.out, text);
    else process.stdout.write(text);
  } finally {
    await db.end();
  }
}

export function registerQaCommands(program: Command): void {
  const qa = program.command('qa').description('quality assurance: compliance, emotion, frequent issues');
  qa.command('analyse')
    .alias('analyze')
    .description('analyse transcripts from a JSON-lines file (one call per line, see docs/qa.md)')
    .argument('<transcripts.jsonl>', 'file of calls to analyse')
    .option('--rules <dir>', 'folder of rule files (default: qa.rulesDir)')
    .option('--out <file>', 'write one JSON analysis per line here instead of stdout')
    .option('--store', 'also store the analyses in Postgres (qa_calls)')
    .option('--no-redact', 'keep card/phone/ID numbers and e-mails in the output')
    .option('--report <file>', 'also write a report of the batch (.html, .csv or .json)')
    .option('--no-progress', 'no progress bar')
    .action(async (file: string, flags: AnalyseFlags) => analyseFile(file, flags));
  qa.command('report')
    .description('write the analyst report for a period from the stored analyses')
    .option('--from <date>', 'start of the period (default: a week before --to)')
    .option('--to <date>', 'end of the period (default: now)')
    .option('--format <format>', 'html, csv or json', 'html')
    .option('--out <file>', 'write here instead of stdout')
    .action(async (opts: { from?: string; to?: string; format: string; out?: string }) => writeReport(opts));
}
