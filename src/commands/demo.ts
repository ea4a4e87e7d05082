import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { loadSeed } from '../emulator/seed.js';
import { startEmulator, type RunningEmulator } from '../emulator/server.js';
import { demoPassed, demoVerdict, verdictLines } from '../demo/demoVerdict.js';
import { InputError } from '../errors/InputError.js';
import { exitCodes } from '../exitCodes.js';
import { loadJob } from '../jobs/loadJob.js';
import type { Io } from '../io.js';
import { readPairs } from '../rows/readPairs.js';
import { labelIdOf, userIdOf } from '../rows/table.js';
import { choose, commandModule } from './commandModule.js';
import { runOptionsFrom, type RunValues } from './optionTable.js';
import { remove } from './remove.js';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The pairs ("userId:labelId") of the input's valid rows: what the demo asks to remove. */
async function askedPairs(input: string): Promise<string[]> {
  const { table, outcomes } = await readPairs(input);
  const pairs: string[] = [];
  for (let i = 0; i < table.size; i += 1) if (outcomes.status(i) === undefined) pairs.push(`${userIdOf(table, i)}:${labelIdOf(table, i)}`);
  return pairs;
}

/** The results file, the rows not removed and why, and how remove exited. */
async function resultLines(out: string, code: number): Promise<string[]> {
  const csv = await readFile(out, 'utf8');
  const why = code === 1 ? ' (some rows not done: the demo input has a duplicate, a spreadsheet-mangled ID and an unknown user on purpose; see the results file)' : '';
  const results = parse(csv, { columns: true }) as Record<string, string>[];
  return [
    '',
    `results file (${out}, in a temporary folder the demo removes when it ends):`,
    ...csv.trimEnd().split(/\r?\n/).map((line) => `  ${line}`),
    `remove exited ${code}${why}`,
    ...results.filter((r) => r.status !== 'removed').map((r) => `  row ${r.row}: ${r.status} — ${r.message}`),
  ];
}

/** Runs the job's remove against the emulator, then judges its state: exactly the requested pairs gone, nothing else written. */
async function runAndJudge(emulator: RunningEmulator, job: DemoJob, outDir: string, io: Io): Promise<number> {
  const say = (line = '') => io.stdout.write(`${line}\n`);
  const before = new Set(emulator.state.pairs());
  say(`zdlabels demo: a Zoho Desk emulator is serving at ${emulator.url}`);
  say(`  ${emulator.state.labels.size} labels, ${emulator.state.users.size} users, ${before.size} label assignments (seed: ${job.seedFile})`);
  say(`  job "${job.name}" (${job.file}): remove the pairs in ${job.input}`);
  say();
  const out = join(outDir, 'remove.results.csv');
  const code = await remove({ input: job.input, out, ...runOptionsFrom(job.options) }, { ...io, env: emulator.env });
  for (const line of await resultLines(out, code)) say(line);
  const verdict = demoVerdict(before, new Set(emulator.state.pairs()), await askedPairs(job.input), emulator.calls);
  for (const line of verdictLines(verdict)) say(line);
  return demoPassed(verdict) ? exitCodes.ok : exitCodes.someRowsNotDone;
}

interface DemoJob {
  name: string;
  file: string;
  input: string;
  seedFile: string;
  options: RunValues;
}

/**
 * `zdlabels demo`: starts the emulator with the demo seed, runs the demo remove
 * job against it over real HTTP, and checks the emulator's final state: the
 * requested pairs are gone and nothing else changed.
 */
async function demo(options: { job?: string | undefined; seed?: string | undefined }, io: Io): Promise<number> {
  const file = resolve(io.cwd, options.job ?? join(packageRoot, 'jobs', 'demo.json'));
  const seedFile = resolve(io.cwd, options.seed ?? join(packageRoot, 'fixtures', 'demo', 'seed.json'));
  const job = await loadJob(file);
  if (job.action !== 'remove') throw new InputError(file, undefined, 'the demo runs a remove job (action "remove" with an input)');
  const demoJob = { name: job.name, file, input: resolve(dirname(file), job.input), seedFile, options: { by: job.by, concurrency: job.concurrency, batchSize: job.batchSize } };
  const emulator = await startEmulator({ seed: await loadSeed(seedFile), latencyMs: 20 });
  // The results go to a temporary folder, printed and removed when the demo ends.
  const outDir = await mkdtemp(join(tmpdir(), 'zdlabels-demo-'));
  try {
    return await runAndJudge(emulator, demoJob, outDir, io);
  } finally {
    await emulator.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

export const demoCommand = commandModule({
  command: 'demo',
  describe: 'Run the demo job against the built-in emulator and check the result (no Zoho account needed)',
  builder: (y) =>
    y
      .option('job', { type: 'string', describe: 'Remove job to run (default: jobs/demo.json)' })
      .option('seed', { type: 'string', describe: 'Emulator seed (default: fixtures/demo/seed.json)' }),
  handler: (a) => choose(a, (io) => demo({ job: a.job, seed: a.seed }, io)),
});
