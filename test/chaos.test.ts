// A seeded chaos test: `remove` by label, by user and auto against an
// emulator that answers random 500s, drops connections before the call
// reaches it (a relay) and after the change is applied (its dropRate), lets
// access tokens die every few calls, and hides an org limit of 2 calls in
// flight under --concurrency 5; the input mixes held pairs, pairs not held,
// unknown users and unknown labels. After every run, the results file must
// tell the truth about the emulator's state; after the last --resume, every
// requested pair is gone and nothing else was touched.
import { join } from 'node:path';
import fc from 'fast-check';
import type { Seed } from '../src/emulator/seed.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { SEED } from './helpers/arbitraries.js';
import { cli, readResults, tempDir, writePairs, type ResultRow } from './helpers/cli.js';
import { startFaultyProxy } from './helpers/faultyProxy.js';

const USERS = 30;
const LABELS = 6;
const userId = (i: number) => String(1060099000000334001n + BigInt(i));
const labelId = (i: number) => String(24073000002958013n + BigInt(10 * i));
/** Index USERS (or LABELS) and above: IDs the organization does not have. */
const inputUser = (i: number) => (i < USERS ? userId(i) : String(1060099000000999000n + BigInt(i)));
const inputLabel = (i: number) => (i < LABELS ? labelId(i) : String(24073000009999000n + BigInt(i)));

function seedOf(held: boolean[][]): Seed {
  const hc = '24073000002886005';
  return {
    organizations: [{ id: '2389290', companyName: 'Zylker', portalName: 'zylker' }],
    helpCenters: [{ id: hc, name: 'Zylker Help Center', orgId: '2389290' }],
    labels: Array.from({ length: LABELS }, (_, l) => ({ id: labelId(l), name: `Label ${l}`, helpCenterId: hc })),
    users: Array.from({ length: USERS }, (_, i) => ({ id: userId(i), name: `User ${i}`, email: `user${i}@zylker.com` })),
    memberships: Array.from({ length: LABELS }, (_, l) => ({ labelId: labelId(l), userIds: Array.from({ length: USERS }, (_, i) => i).filter((i) => held[l]![i]).map(userId) })),
  };
}

const scenario = fc.record({
  faultSeed: fc.integer({ min: 1, max: 2 ** 30 }),
  // which user holds which label at the start (mostly held: most requests have something to remove)
  held: fc.array(fc.array(fc.boolean(), { minLength: USERS, maxLength: USERS }), { minLength: LABELS, maxLength: LABELS }),
  // requested pairs; users USERS..USERS+1 and label LABELS do not exist
  pairs: fc.uniqueArray(fc.tuple(fc.nat(USERS + 1), fc.nat(LABELS)), { minLength: 10, maxLength: 70, selector: ([u, l]) => `${u}:${l}` }),
  batchSize: fc.integer({ min: 2, max: 20 }),
  // few retries: some calls use them up, and --resume must send those rows again
  retries: fc.integer({ min: 0, max: 1 }),
});

const UNFINISHED = new Set(['failed', 'deferred']);
/** What the scenarios went through, so the last test can check the chaos was real. */
const faults = { runs: 0, resumes: 0, errors500: 0, droppedBefore: 0, droppedAfter: 0, tooMany: 0, deadTokens: 0 };
const RUNS = 10;

/** The results tell the truth about the emulator, and nothing outside the input was touched. */
function checkTruth(emulator: RunningEmulator, results: ResultRow[], input: [string, string][], before: Set<string>): void {
  const requested = new Set(input.map(([u, l]) => `${u}:${l}`));
  const seen = new Set<string>();
  results.forEach((r, i) => {
    const pair = `${r.user_id}:${r.label_id}`;
    expect([r.row, pair]).toEqual([String(i + 1), `${input[i]![0]}:${input[i]![1]}`]);
    const exists = emulator.state.users.has(r.user_id) && emulator.state.labels.has(r.label_id);
    const truths: Record<string, boolean> = { removed: !emulator.state.has(r.label_id, r.user_id), not_found: !exists, not_member: !before.has(pair), duplicate: seen.has(pair) };
    const truth = truths[r.status] ?? false; // any other status (added, planned, invalid) is a lie here
    if (!UNFINISHED.has(r.status)) expect([r.row, pair, r.status, truth ? 'true' : `false: ${r.message}`]).toEqual([r.row, pair, r.status, 'true']);
    seen.add(pair);
  });
  const after = new Set(emulator.state.pairs());
  const lost = [...before].filter((p) => !after.has(p));
  expect(lost.filter((p) => !requested.has(p))).toEqual([]); // no pair outside the input was removed
  expect([...after].filter((p) => !before.has(p))).toEqual([]); // and none was added
}

describe('chaos', () => {
  test.each(['label', 'user', 'auto'])('by %s: 500s, drops before and after the change, dying tokens, a hidden org limit, unknown IDs: every run tells the truth, and --resume finishes the job', async (by) => {
    const dir = await tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ faultSeed, held, pairs, batchSize, retries }) => {
        const emulator = await startEmulator({ seed: seedOf(held), errorRate: 0.06, dropRate: 0.04, faultSeed, tokenLifetimeCalls: 9, concurrencyLimit: 2, latencyMs: 2 });
        const relay = await startFaultyProxy(emulator.url, { dropRate: 0.08, seed: faultSeed });
        try {
          const env = { ...emulator.env, ZOHO_DESK_URL: relay.url };
          const input: [string, string][] = pairs.map(([u, l]) => [inputUser(u), inputLabel(l)]);
          input.push(input[0]!); // a repeated row
          const name = `chaos${(n += 1)}`;
          const file = await writePairs(dir, input, `${name}.csv`);
          const before = new Set(emulator.state.pairs());
          const argv = ['remove', file, '--by', by, '--batch-size', String(batchSize), '--retries', String(retries), '--concurrency', '5', '--retry-base-ms', '5'];
          let results: ResultRow[] = [];
          let code = -1;
          for (let run = 0; run < RUNS; run += 1) {
            const r = await cli(run === 0 ? argv : [...argv, '--resume'], { env, cwd: dir });
            code = r.code;
            if (code !== 0 && code !== 1) throw new Error(`run ${run + 1} exited ${code}:\n${r.stderr}`);
            expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m); // no stack trace
            faults.runs += 1;
            if (run > 0) faults.resumes += 1;
            results = await readResults(join(dir, `${name}.results.csv`));
            checkTruth(emulator, results, input, before);
            if (!results.some((x) => UNFINISHED.has(x.status))) break;
          }
          // finished: every row final, each requested pair gone, the unknown ones not_found
          const statuses = results.map((x) => x.status);
          expect(statuses.filter((s) => UNFINISHED.has(s))).toEqual([]);
          input.forEach(([u, l], i) => {
            const exists = emulator.state.users.has(u) && emulator.state.labels.has(l);
            expect([u, l, exists ? emulator.state.has(l, u) : 'unknown']).toEqual([u, l, exists ? false : 'unknown']);
            // Zoho answers success for a pair not held (nonMember 'success', the default): removed as Zoho said,
            // or not_member where the run read the target before its first write (the guard's read).
            // ('404' and '422' are left out here: a removal whose answer is lost and whose retry is refused
            // cannot always be told apart from one never held; test/lost-answers.test.ts pins what the row says then.)
            const pair = `${u}:${l}`;
            const expected = i === input.length - 1 ? ['duplicate'] : !exists ? ['not_found'] : before.has(pair) ? ['removed'] : ['removed', 'not_member'];
            expect([i + 1, u, l, expected.includes(statuses[i]!)]).toEqual([i + 1, u, l, true]);
          });
          expect(code).toBe(statuses.includes('not_found') ? 1 : 0);
          for (const c of emulator.calls) {
            if (c.status === 500) faults.errors500 += 1;
            if (c.status === 'dropped') faults.droppedAfter += 1;
            if (c.status === 429 && c.errorCode === 'TOO_MANY_REQUESTS') faults.tooMany += 1;
            if (c.status === 401) faults.deadTokens += 1;
          }
          faults.droppedBefore += relay.dropped;
        } finally {
          await relay.close();
          await emulator.close();
        }
      }),
      { seed: SEED + by.length, numRuns: 2, endOnFailure: true },
    );
  });

  test('the chaos was real: every kind of fault happened, and runs needed --resume', () => {
    expect(Object.entries(faults).filter(([, count]) => count === 0)).toEqual([]);
  });
});
