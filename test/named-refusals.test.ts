// Zoho may refuse a whole removal for the non-members in it, naming the first
// refused ID, every one, or none (a bare 404): unknown (ZOHO-NOTES.md). Under
// each, a run over many non-members must end with every row proven (not_member
// from a read, removed for the rest) without one call per refused ID; and rows
// left unexplained because the run's reads ran out are not taken for a
// refusal of the request.
import { join } from 'node:path';
import type { EmulatorKnobs, EmulatorOptions } from '../src/emulator/knobs.js';
import type { Seed } from '../src/emulator/seed.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { splitBudgetFor } from '../src/run/execution.js';
import { cli, readResults, tempDir, writePairs, type ResultRow } from './helpers/cli.js';
import { rawApi } from './helpers/emulator.js';

const FAST = ['--retry-base-ms', '5'];
const HC = '24073000002886005';
const LABELS = ['24073000003100001', '24073000003100002', '24073000003100003', '24073000003100004'];
const user = (i: number): string => String(1060099000000500001n + BigInt(i));

/** In the input: users 0-39 on each of the four labels (160 rows). */
const LISTED = 40;
/** Members none of the rows names (they must stay): users 40-59 on every label. */
const OTHERS = 20;
/** Label k is held by the listed users i with i % 10 === k: four rows of forty per label are members. */
const holds = (k: number, i: number): boolean => i % 10 === k;

/** One organization and help center; users 0 … userCount-1; the labels, each with its members. */
function seedOf(userCount: number, memberships: { labelId: string; userIds: string[] }[]): Seed {
  return {
    organizations: [{ id: '2389290', companyName: 'Zylker' }],
    helpCenters: [{ id: HC, name: 'Zylker Help Center', orgId: '2389290' }],
    labels: memberships.map((m, k) => ({ id: m.labelId, name: `Label ${k}`, helpCenterId: HC })),
    users: Array.from({ length: userCount }, (_, i) => ({ id: user(i), name: `User ${i}`, email: `u${i}@zylker.com` })),
    memberships,
  };
}

const seed = (): Seed =>
  seedOf(
    LISTED + OTHERS,
    LABELS.map((labelId, k) => ({ labelId, userIds: Array.from({ length: LISTED + OTHERS }, (_, i) => i).filter((i) => i >= LISTED || holds(k, i)).map(user) })),
  );

/** For each test of the describe it is called in: a fresh emulator started with `options()`, and a temporary folder. */
function perTest(options: () => EmulatorOptions): { emulator: RunningEmulator; dir: string } {
  const t = {} as { emulator: RunningEmulator; dir: string };
  beforeEach(async () => {
    t.emulator = await startEmulator(options());
    t.dir = await tempDir();
  });
  afterEach(() => t.emulator.close());
  return t;
}

/** Write calls the emulator served. */
const writesOf = (emulator: RunningEmulator): number => emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel' || c.endpoint === 'removeLabelsFromUser').length;

const rows: [string, string][] = LABELS.flatMap((l) => Array.from({ length: LISTED }, (_, i): [string, string] => [user(i), l]));
const heldRow = ([u, l]: [string, string]): boolean => holds(LABELS.indexOf(l), Number(BigInt(u) - 1060099000000500001n));

type Mode = Pick<EmulatorKnobs, 'nonMember' | 'namesRefused'>;
const modes: Mode[] = [
  { nonMember: '422', namesRefused: 'first' },
  { nonMember: '422', namesRefused: 'all' },
  { nonMember: '404', namesRefused: 'first' },
  { nonMember: '404', namesRefused: 'all' },
];

/** The bound the executor guarantees on write calls: the plan, one resend per refused planned batch, the split budget. */
const bound = (planCalls: number): number => 2 * planCalls + splitBudgetFor(planCalls);

describe.each(modes)('nonMember $nonMember, namesRefused $namesRefused: many non-members', (mode) => {
  const t = perTest(() => ({ seed: seed(), ...mode }));
  const writes = () => writesOf(t.emulator);

  /**
   * Each row: removed if `member` says the run found it a member, else
   * not_member backed by a read of its label's members or its user's labels
   * made by that run (its calls from `since` on).
   */
  function expectProven(results: ResultRow[], member: (pair: [string, string]) => boolean, since: number): void {
    expect(results).toHaveLength(rows.length);
    const wrong = results.filter((r, i) => r.status !== (member(rows[i]!) ? 'removed' : 'not_member'));
    expect(wrong.map((r) => `${r.row} ${r.status} ${r.message}`)).toEqual([]);
    for (const r of results.filter((x) => x.status === 'not_member')) {
      const read = t.emulator.calls.slice(since).some(
        (c) => (c.status === 200 || c.status === 204) && ((c.endpoint === 'listLabelUsers' && c.path.includes(`/labels/${r.label_id}/`)) || (c.endpoint === 'listUserLabels' && c.path.includes(`/users/${r.user_id}/`))),
      );
      expect(read).toBe(true);
    }
  }

  /** Only the held pairs are gone; the members no row names are all still there. */
  function expectOnlyHeldGone(): void {
    for (const l of LABELS) expect([...(t.emulator.state.members.get(l)?.keys() ?? [])].sort()).toEqual(Array.from({ length: OTHERS }, (_, i) => user(LISTED + i)).sort());
  }

  test('by label: members removed, every other row not_member from a read, within the bound; a re-run of the applied input: every row not_member', async () => {
    const { emulator, dir } = t;
    const input = await writePairs(dir, rows);
    const first = await cli(['remove', input, ...FAST], { env: emulator.env, cwd: dir });
    expect(first.stderr).not.toMatch(/about the request|Check ZOHO_ORG_ID/);
    expect(first.code).toBe(0);
    expectProven(await readResults(join(dir, 'pairs.results.csv')), heldRow, 0);
    expectOnlyHeldGone();
    // four batches of 40, each refused for its non-members: within the bound, and in fact
    // each settled by one read of its label's members, its four members sent once more
    expect(writes()).toBeLessThanOrEqual(bound(4));
    expect(writes()).toBe(8);

    const before = writes();
    const calls = emulator.calls.length;
    const again = await cli(['remove', input, '--out', join(dir, 'again.results.csv'), ...FAST], { env: emulator.env, cwd: dir });
    expect(again.stderr).not.toMatch(/about the request|Check ZOHO_ORG_ID/);
    expect(again.code).toBe(0);
    expectProven(await readResults(join(dir, 'again.results.csv')), () => false, calls);
    expectOnlyHeldGone();
    // every row a non-member: each batch refused once, settled by the read, nothing sent again
    expect(writes() - before).toBeLessThanOrEqual(bound(4));
    expect(writes() - before).toBe(4);
  });

  test('by user: a user\'s labels read once settle every label refused; within the bound; the re-run too', async () => {
    const { emulator, dir } = t;
    const input = await writePairs(dir, rows);
    const first = await cli(['remove', input, '--by', 'user', ...FAST], { env: emulator.env, cwd: dir });
    expect(first.stderr).not.toMatch(/about the request|Check ZOHO_ORG_ID/);
    expect(first.code).toBe(0);
    expectProven(await readResults(join(dir, 'pairs.results.csv')), heldRow, 0);
    expectOnlyHeldGone();
    // forty batches, one per user: a label refused inside a 200 is explained by the user's labels, read
    // once; a call whose every label was refused is settled by that read, nothing sent again
    expect(writes()).toBeLessThanOrEqual(bound(LISTED));
    expect(writes()).toBe(LISTED);
    // after its call, a user's labels are read once (one label refused or three), and once more by the
    // first-write guard if its batch was the guarded one; before it, only the guard reads them
    for (let i = 0; i < LISTED; i += 1) {
      const path = `/api/v1/users/${user(i)}/labels`;
      const call = emulator.calls.findLast((c) => c.endpoint === 'removeLabelsFromUser' && c.path.startsWith(path))!;
      expect(emulator.calls.filter((c) => c.endpoint === 'listUserLabels' && c.path === path && c.seq > call.seq).length).toBeLessThanOrEqual(2);
    }

    const before = writes();
    const calls = emulator.calls.length;
    const again = await cli(['remove', input, '--by', 'user', '--out', join(dir, 'again.results.csv'), ...FAST], { env: emulator.env, cwd: dir });
    expect(again.stderr).not.toMatch(/about the request|Check ZOHO_ORG_ID/);
    expect(again.code).toBe(0);
    expectProven(await readResults(join(dir, 'again.results.csv')), () => false, calls);
    expectOnlyHeldGone();
    expect(writes() - before).toBeLessThanOrEqual(bound(LISTED));
    expect(writes() - before).toBe(LISTED);
  });
});

describe('the emulator: namesRefused says which refused IDs a label call\'s 422 names', () => {
  let emulator: RunningEmulator;
  afterEach(() => emulator.close());
  // label 0 holds user 0 only of these: users 1, 2, 3 are non-members, one user does not exist
  const body = { userIds: [user(1), user(0), user(2), '1060099000000999999', user(3)] };
  const fields = (answer: { body: Record<string, unknown> | undefined }): string[] =>
    ((answer.body?.errors as { fieldName: string }[] | undefined) ?? []).map((e) => e.fieldName);

  test.each([
    ['first', { nonMember: '422' }, ['/userIds/3']],
    ['all', { nonMember: '422' }, ['/userIds/3']],
    ['first', { nonMember: '422', unknownUserInBatch: 'ignore' }, ['/userIds/0']],
    ['all', { nonMember: '422', unknownUserInBatch: 'ignore' }, ['/userIds/0', '/userIds/2', '/userIds/4']],
  ] as const)('namesRefused %s, %j: names %j, nothing applied', async (namesRefused, knobs, named) => {
    emulator = await startEmulator({ seed: seed(), namesRefused, ...knobs });
    const api = await rawApi(emulator);
    const a = await api('POST', `/api/v1/labels/${LABELS[0]}/users/remove`, { body });
    expect(a.status).toBe(422);
    expect(fields(a)).toEqual(named);
    expect(emulator.state.has(LABELS[0]!, user(0))).toBe(true);
  });

  test('all: every unknown user is named; without an errors array none is, whichever value', async () => {
    emulator = await startEmulator({ seed: seed(), namesRefused: 'all' });
    const api = await rawApi(emulator);
    const twoUnknown = { userIds: [user(0), '1060099000000999998', '1060099000000999999'] };
    expect(fields(await api('POST', `/api/v1/labels/${LABELS[0]}/users/remove`, { body: twoUnknown }))).toEqual(['/userIds/1', '/userIds/2']);
    emulator.knobs.errorsArray = 'without';
    const bare = await api('POST', `/api/v1/labels/${LABELS[0]}/users/remove`, { body: twoUnknown });
    expect(bare).toMatchObject({ status: 422, body: { errorCode: 'UNPROCESSABLE_ENTITY' } });
    expect(JSON.stringify(bare.body)).not.toContain('999999');
    emulator.knobs.nonMember = '404';
    expect((await api('POST', `/api/v1/labels/${LABELS[0]}/users/remove`, { body: { userIds: [user(1), user(2)] } })).status).toBe(404);
  });
});

describe.each(modes)('nonMember $nonMember, namesRefused $namesRefused: the reads for explaining refusals run out', (mode) => {
  // A label of 3,000 members (60 pages: more than a run's 50 membership pages) with 120 rows, then
  // six labels with one row each (a call of one row refused: its read alone explains it). No row is a member.
  const BIG = 3000;
  const SMALL = ['24073000003200001', '24073000003200002', '24073000003200003', '24073000003200004', '24073000003200005', '24073000003200006'];
  const pairs: [string, string][] = [
    ...Array.from({ length: 120 }, (_, i): [string, string] => [user(BIG + i), LABELS[0]!]),
    ...SMALL.map((l, i): [string, string] => [user(BIG + i), l]),
  ];
  const t = perTest(() => ({
    seed: seedOf(BIG + 120, [
      { labelId: LABELS[0]!, userIds: Array.from({ length: BIG }, (_, i) => user(i)) },
      ...SMALL.map((labelId) => ({ labelId, userIds: [user(0)] })),
    ]),
    ...mode,
  }));
  const writes = () => writesOf(t.emulator);

  test('rows left unexplained fail saying the reads are spent, never "about the request", the run not stopped; each --resume explains more', async () => {
    const { emulator, dir } = t;
    const input = await writePairs(dir, pairs);
    const runs: { code: number; failed: number; oneRow: number; writes: number }[] = [];
    for (let run = 0; run < 5; run += 1) {
      const before = writes();
      // one call at a time: the one-row calls are refused after the big label's rows spent the reads
      const r = await cli(['remove', input, '--concurrency', '1', ...(run > 0 ? ['--resume'] : []), ...FAST], { env: emulator.env, cwd: dir });
      const results = await readResults(join(dir, 'pairs.results.csv'));
      expect(r.stderr + results.map((x) => x.message).join('\n')).not.toMatch(/about the request|Check ZOHO_ORG_ID|refused the same way/);
      expect(r.stderr).not.toMatch(/stopping|Stopped/);
      expect(results.filter((x) => x.status !== 'not_member' && x.status !== 'failed')).toEqual([]);
      const failed = results.filter((x) => x.status === 'failed');
      for (const f of failed) expect(f.message).toMatch(/not explained: this run's reads for explaining refusals \(50 membership pages\) are spent; --resume continues \(each run has a new budget\)$/);
      runs.push({ code: r.code, failed: failed.length, oneRow: failed.filter((x) => SMALL.includes(x.label_id)).length, writes: writes() - before });
      expect(r.code).toBe(failed.length > 0 ? 1 : 0);
      if (failed.length === 0) break;
    }
    // the first run cannot explain them all, three one-row calls in a row among them (the systematic
    // stop's count, were they taken for refusals of the request); each run after explains more; every row ends not_member
    expect(runs[0]!.oneRow).toBeGreaterThanOrEqual(3);
    for (let k = 1; k < runs.length; k += 1) expect(runs[k]!.failed).toBeLessThan(runs[k - 1]!.failed);
    expect(runs.at(-1)!.code).toBe(0);
    // 120 rows in batches of 50 and six of one: nine calls planned (each resume plans what is left)
    expect(runs[0]!.writes).toBeLessThanOrEqual(bound(9));
    expect(emulator.state.members.get(LABELS[0]!)?.size).toBe(BIG);
  });
});

describe('a batch refused with a bare 422 on a label whose member list is short', () => {
  let emulator: RunningEmulator;
  afterEach(() => emulator.close());

  test('an unknown user among members: one read of the label\'s members and the user\'s 404 settle it; the batch costs one call more, not a bisection', async () => {
    emulator = await startEmulator({ seed: seed(), errorsArray: 'without' });
    const dir = await tempDir();
    const unknown = '1060099000000999999';
    // label 0's members among the listed users: 0, 10, 20, 30 (one page of members in all)
    const pairs: [string, string][] = [[user(0), LABELS[0]!], [user(10), LABELS[0]!], [unknown, LABELS[0]!], [user(20), LABELS[0]!], [user(30), LABELS[0]!]];
    const r = await cli(['remove', await writePairs(dir, pairs), '--no-guard', ...FAST], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(1);
    const results = await readResults(join(dir, 'pairs.results.csv'));
    expect(results.map((x) => x.status)).toEqual(['removed', 'removed', 'not_found', 'removed', 'removed']);
    expect(results[2]!.message).toContain(`user ${unknown} does not exist`);
    expect(emulator.calls.some((c) => c.endpoint === 'getUser' && c.status === 404 && c.path.endsWith(`/${unknown}`))).toBe(true);
    const writes = emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel');
    expect(writes.map((c) => c.ids.length)).toEqual([5, 4]);
    expect(emulator.calls.filter((c) => c.endpoint === 'listLabelUsers')).toHaveLength(1);
  });
});
