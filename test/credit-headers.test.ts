// Zoho's credit headers (X-Rate-Limit-Remaining-v3, X-Rate-Limit-Request-Weight-v3)
// are known from a third party only ([3P] in ZOHO-NOTES). Under the emulator's
// creditHeaders 'omit', --reserve-credits must not silently do nothing: the run
// stops as a credits stop (exit 6) once an answer shows Zoho does not report
// them; without it, nothing changes but the summary saying "unknown".
import { join } from 'node:path';
import { BudgetError } from '../src/errors/BudgetError.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { CreditMeter } from '../src/zoho/credits.js';
import { cli, readResults, tempDir, writePairs } from './helpers/cli.js';
import { clientFor, rejection } from './helpers/emulator.js';
import { A, u } from './helpers/seed.js';

const UNREPORTED = "Zoho did not report the organization's remaining API credits";
const pairs: [string, string][] = Array.from({ length: 40 }, (_, i) => [u(i), A]);
const held = (e: RunningEmulator) => pairs.filter(([x, l]) => e.state.has(l, x)).length;

let emulator: RunningEmulator;
let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => emulator.close());

describe('creditHeaders omit, with --reserve-credits', () => {
  test('the guard\'s first read shows the credits unreported: exit 6 before any write, every row deferred; --resume --max-calls finishes', async () => {
    emulator = await startEmulator({ creditHeaders: 'omit', dailyCredits: 1000 });
    const input = await writePairs(dir, pairs);
    const r = await cli(['remove', input, '--batch-size', '5', '--reserve-credits', '100'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`${UNREPORTED} (its answers carry no X-Rate-Limit-Remaining-v3 header), so --reserve-credits 100 cannot be kept`);
    expect(r.stderr).toContain('use --max-calls N instead');
    expect(r.stderr).toMatch(/Resume with: zdlabels remove .* --resume/);
    expect(r.stderr).toContain("left for the organization: unknown (Zoho's answers did not report it)");
    // one read answered, and it decided: nothing written, nothing lost
    expect(emulator.calls.map((c) => [c.endpoint, c.status])).toEqual([['getLabel', 200]]);
    expect(held(emulator)).toBe(40);
    const results = await readResults(join(dir, 'pairs.results.csv'));
    expect(results.map((x) => x.status)).toEqual(Array(40).fill('deferred'));
    expect(results[0]!.message).toContain(`not sent: stopped sending: ${UNREPORTED}`);

    const resumed = await cli(['remove', input, '--resume', '--batch-size', '5', '--max-calls', '30'], { env: emulator.env, cwd: dir });
    expect([resumed.code, resumed.code === 0 ? '' : resumed.stderr]).toEqual([0, '']);
    expect(held(emulator)).toBe(0);
    expect((await readResults(join(dir, 'pairs.results.csv'))).every((x) => x.status === 'removed')).toBe(true);
    expect(emulator.calls.length).toBeLessThanOrEqual(1 + 30);
  });

  test('a first call that is a write goes out alone: the reserve is at risk by that one call, then the run stops (exit 6)', async () => {
    emulator = await startEmulator({ creditHeaders: 'omit', latencyMs: 20 });
    const input = await writePairs(dir, pairs);
    const r = await cli(['remove', input, '--batch-size', '5', '--concurrency', '5', '--no-guard', '--reserve-credits', '10'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(UNREPORTED);
    // five calls could have been in flight at once; only the first was sent
    expect(emulator.calls.map((c) => [c.endpoint, c.status, c.ids.length])).toEqual([['removeUsersFromLabel', 204, 5]]);
    const results = await readResults(join(dir, 'pairs.results.csv'));
    expect(results.filter((x) => x.status === 'removed').map((x) => x.user_id)).toEqual(pairs.slice(0, 5).map(([x]) => x));
    expect(results.filter((x) => x.status === 'deferred')).toHaveLength(35);
    expect(held(emulator)).toBe(35);
  });
});

test('answers that stop carrying the headers after some did: their weights come off the last figure reported, and the reserve holds', async () => {
  emulator = await startEmulator({ dailyCredits: 100, creditsUsed: 90 });
  const client = clientFor(emulator, { meter: new CreditMeter({ reserveCredits: 5 }) });
  await client.call('getLabel', { path: { labelId: A } });
  expect(client.meter.remaining).toBe(9);
  emulator.knobs.creditHeaders = 'omit';
  for (let i = 0; i < 4; i += 1) await client.call('getLabel', { path: { labelId: A } });
  const refused = await rejection(client.call('getLabel', { path: { labelId: A } }));
  expect(refused).toBeInstanceOf(BudgetError);
  expect((refused as Error).message).toBe("stopped before the organization's remaining API credits (5) would fall below --reserve-credits 5");
  expect([emulator.calls.length, emulator.credits.remaining]).toEqual([5, 5]);
});

test('only an accepted answer decides that the credits are unreported: a refusal without the headers leaves them unknown', async () => {
  emulator = await startEmulator({ creditHeaders: 'omit' });
  const client = clientFor(emulator, { meter: new CreditMeter({ reserveCredits: 5 }) });
  expect(await rejection(client.call('getLabel', { path: { labelId: '24073000009999999' } }))).toMatchObject({ status: 404 });
  expect(client.meter.reported).toBeUndefined();
  await client.call('getLabel', { path: { labelId: A } });
  expect(client.meter.reported).toBe(false);
  expect(await rejection(client.call('getLabel', { path: { labelId: A } }))).toBeInstanceOf(BudgetError);
  expect(emulator.calls.map((c) => c.status)).toEqual([404, 200]);
});

test('creditHeaders omit, without --reserve-credits: the run completes (exit 0), credits left unknown, the weight from Zoho\'s table', async () => {
  emulator = await startEmulator({ creditHeaders: 'omit' });
  const r = await cli(['remove', await writePairs(dir, pairs), '--batch-size', '5', '--json'], { env: emulator.env, cwd: dir });
  expect([r.code, r.stderr]).toEqual([0, expect.stringContaining("; this run's calls weighed about")]);
  expect(r.stderr).toContain("(Zoho's credit table: its answers did not say); left for the organization: unknown (Zoho's answers did not report it)");
  expect(held(emulator)).toBe(0);
  const s = JSON.parse(r.stdout) as { credits: { spent: number; remaining?: number; reported: boolean; estimated: boolean } };
  // the table's weights are what the emulator charged
  expect(s.credits).toMatchObject({ spent: emulator.knobs.creditsUsed, reported: false, estimated: true });
  expect(s.credits.remaining).toBeUndefined();
  expect(emulator.calls.every((c) => c.status === 200 || c.status === 204)).toBe(true);
});

test('credit headers sent: with --reserve-credits the first call goes alone until its answer reports the credits, then calls overlap', async () => {
  emulator = await startEmulator({ latencyMs: 20 });
  const r = await cli(['remove', await writePairs(dir, pairs), '--batch-size', '2', '--concurrency', '5', '--no-guard', '--reserve-credits', '10'], { env: emulator.env, cwd: dir });
  expect(r.code).toBe(0);
  const [first, ...rest] = emulator.calls;
  expect(rest.every((c) => c.startedAt >= first!.endedAt)).toBe(true);
  expect(rest.some((c, i) => i > 0 && c.startedAt < rest[i - 1]!.endedAt)).toBe(true);
  expect(held(emulator)).toBe(0);
});

test('doctor with credit headers omitted: healthy (exit 0); it does not report credits', async () => {
  emulator = await startEmulator({ creditHeaders: 'omit' });
  const r = await cli(['doctor'], { env: emulator.env, cwd: dir });
  expect([r.code, r.stderr]).toEqual([0, '']);
  expect(r.stdout).not.toMatch(/credit/i);
});
