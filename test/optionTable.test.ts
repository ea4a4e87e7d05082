// The option table: one set of defaults for the command line, jobs and the
// client, and every option's value checked showing what was given, the
// emulator's flags too.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runOptionsFrom, timeoutMsOf } from '../src/commands/optionTable.js';
import { startEmulator } from '../src/emulator/server.js';
import { defaultTimeoutMs } from '../src/zoho/config.js';
import { cli, readResults, tempDir, writePairs } from './helpers/cli.js';
import { A, u } from './helpers/seed.js';

const HINT = 'Run `zdlabels --help` for usage.';

test('the defaults, merged once: what a run does when neither the command line nor a job says', () => {
  expect(runOptionsFrom({})).toEqual({
    by: 'auto',
    dryRun: false,
    concurrency: 5,
    batchSize: 50,
    retries: 5,
    resume: false,
    maxRemovals: undefined,
    helpCenterId: undefined,
    verify: false,
    verbose: false,
    json: false,
    timeoutMs: 30_000,
    retryBaseMs: undefined,
    guard: true,
    reserveCredits: undefined,
    maxCalls: undefined,
  });
  // --timeout's default is the client's own.
  expect(timeoutMsOf(undefined)).toBe(defaultTimeoutMs);
  expect(runOptionsFrom({ concurrency: 2, timeout: 0.5, guard: false })).toMatchObject({ concurrency: 2, timeoutMs: 500, guard: false });
});

test('a job and the same options on the command line send the same calls', async () => {
  const emulator = await startEmulator();
  try {
    const dir = await tempDir();
    const input = await writePairs(dir, [[u(0), A], [u(1), A], [u(2), A]]);
    await writeFile(join(dir, 'job.json'), JSON.stringify({ name: 'j', action: 'remove', input: 'pairs.csv', batchSize: 2, out: 'job.results.csv' }));
    const byJob = await cli(['run', 'job.json'], { env: emulator.env, cwd: dir });
    // The batches sent, in any order (the first-write guard sends the smallest first).
    const batches = () => emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel').map((c) => c.ids.join(' ')).sort();
    const jobCalls = batches();
    emulator.calls.length = 0;
    const byLine = await cli(['remove', input, '--batch-size', '2', '--out', 'line.results.csv'], { env: emulator.env, cwd: dir });
    const lineCalls = batches();
    expect([byJob.code, byLine.code]).toEqual([0, 0]);
    expect(jobCalls).toEqual([`${u(0)} ${u(1)}`, u(2)]);
    // The second run finds the pairs gone: Zoho answers success, the same calls are made.
    expect(lineCalls).toEqual(jobCalls);
    expect((await readResults(join(dir, 'job.results.csv'))).map((r) => r.status)).toEqual(['removed', 'removed', 'removed']);
  } finally {
    await emulator.close();
  }
});

describe("the emulator's flags are checked as every other option, showing the value given", () => {
  test.each([
    [['--latency', 'abc'], 'Expected --latency to be a number ≥ 0, got `abc`'],
    [['--latency'], 'Expected --latency to be a number ≥ 0, got no value'],
    [['--error-rate', '2'], 'Expected --error-rate to be a probability from 0 to 1, got `2`'],
    [['--port', '-1'], 'Expected --port to be an integer from 0 to 65535 (0: any free port), got `-1`'],
    [['--port', '80.5'], 'Expected --port to be an integer from 0 to 65535 (0: any free port), got `80.5`'],
    [['--max-ids', '5', '--max-ids', '6'], '--max-ids was given 2 times (5, 6); give it once'],
  ])('emulator %j: exit 2', async (args, message) => {
    const r = await cli(['emulator', ...args], { cwd: await tempDir() });
    expect([r.code, r.stderr]).toEqual([2, `zdlabels: ${message}\n${HINT}\n`]);
  });
});

test('prune --max-removals is checked as a number given, like every command\'s', async () => {
  const r = await cli(['prune', '--label', A, '--status', 'DISABLED', '--max-removals', 'abc'], { cwd: await tempDir() });
  expect([r.code, r.stderr]).toEqual([2, `zdlabels: Expected --max-removals to be an integer ≥ 0, got \`abc\`\n${HINT}\n`]);
});
