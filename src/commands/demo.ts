import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { loadSeed } from '../emulator/seed.js';
import { startEmulator } from '../emulator/server.js';
import { InputError } from '../errors/InputError.js';
import { loadJob } from '../jobs/loadJob.js';
import type { Io } from '../io.js';
import { readPairs } from '../rows/readPairs.js';
import { labelIdOf, userIdOf } from '../rows/table.js';
import { choose, commandModule } from './commandModule.js';
import { runOptionsFrom } from './optionTable.js';
import { remove } from './remove.js';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * `zdlabels demo`: starts the emulator with the demo seed, runs the demo remove
 * job against it over real HTTP, and checks the emulator's final state: the
 * requested pairs are gone and nothing else changed.
 */
export async function demo(options: { job?: string | undefined; seed?: string | undefined }, io: Io): Promise<number> {
  const jobFile = resolve(io.cwd, options.job ?? join(packageRoot, 'jobs', 'demo.json'));
  const seedFile = resolve(io.cwd, options.seed ?? join(packageRoot, 'fixtures', 'demo', 'seed.json'));
  const job = await loadJob(jobFile);
  if (job.action !== 'remove' || job.input === undefined) throw new InputError(jobFile, undefined, 'the demo runs a remove job (action "remove" with an input)');
  const input = resolve(dirname(jobFile), job.input);
  const emulator = await startEmulator({ seed: await loadSeed(seedFile), latencyMs: 20 });
  // The results go to a temporary folder, printed below and removed when the demo ends.
  const outDir = await mkdtemp(join(tmpdir(), 'zdlabels-demo-'));
  try {
    const before = new Set(emulator.state.pairs());
    const say = (line = '') => io.stdout.write(`${line}\n`);
    say(`zdlabels demo: a Zoho Desk emulator is serving at ${emulator.url}`);
    say(`  ${emulator.state.labels.size} labels, ${emulator.state.users.size} users, ${before.size} label assignments (seed: ${seedFile})`);
    say(`  job "${job.name}" (${jobFile}): remove the pairs in ${input}`);
    say();

    const out = join(outDir, 'remove.results.csv');
    const code = await remove({ input, out, ...runOptionsFrom({ by: job.by, concurrency: job.concurrency, batchSize: job.batchSize }) }, { ...io, env: emulator.env });

    // What should be gone: every valid input pair the seed held. Nothing else may change.
    const { table, outcomes } = await readPairs(input);
    const wanted = new Set<string>();
    for (let i = 0; i < table.size; i += 1) {
      const pair = `${userIdOf(table, i)}:${labelIdOf(table, i)}`;
      if (outcomes.status(i) === undefined && before.has(pair)) wanted.add(pair);
    }
    const after = new Set(emulator.state.pairs());
    const goneNow = [...before].filter((p) => !after.has(p));
    const missed = [...wanted].filter((p) => after.has(p));
    const extra = goneNow.filter((p) => !wanted.has(p));
    const csv = await readFile(out, 'utf8');
    say();
    say(`results file (${out}, in a temporary folder the demo removes when it ends):`);
    for (const line of csv.trimEnd().split(/\r?\n/)) say(`  ${line}`);
    say(`remove exited ${code}${code === 1 ? ' (some rows not done: the demo input has a duplicate, a spreadsheet-mangled ID and an unknown user on purpose; see the results file)' : ''}`);
    const results = parse(csv, { columns: true }) as Record<string, string>[];
    for (const r of results.filter((x) => x.status !== 'removed')) say(`  row ${r.row}: ${r.status} — ${r.message}`);
    const writes = emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel' || c.endpoint === 'removeLabelsFromUser');
    say(`the emulator saw ${writes.length} removal calls and no other write`);
    if (missed.length === 0 && extra.length === 0 && goneNow.length === wanted.size) {
      say(`✔ confirmed from the emulator's state: exactly the ${wanted.size} requested pairs are gone; the other ${after.size} assignments are untouched`);
      return 0;
    }
    say(`✘ the emulator's state does not match: ${missed.length} requested pairs still there, ${extra.length} other pairs gone`);
    return 1;
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
