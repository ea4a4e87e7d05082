// `remove --check-members`: every row's user is checked among its label's
// members before anything is sent. Zoho may answer success for removing a user
// who does not hold the label (nonMember=success, ../shared/ZOHO-NOTES.md);
// without a read, such a row ends `removed` and restore would give the label
// to someone who never held it. With the check, a non-member is not_member and
// never sent, every row sent was held, and restore puts back exactly that.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli, readResults, writePairs } from './helpers/cli.js';
import { eachTest } from './helpers/emulator.js';
import { startFaultyProxy } from './helpers/faultyProxy.js';
import { A, B, C, u } from './helpers/seed.js';

const FAST = ['--retry-base-ms', '5'];
const UNKNOWN_LABEL = '24073000009999999';
const t = eachTest({ nonMember: 'success' });

// Members: u(0) of A and C, u(45) of A and B, u(100) of B. Not members: u(100) of A, u(29) of C, u(20) of B.
const pairs: [string, string][] = [
  [u(0), A],
  [u(100), A],
  [u(45), B],
  [u(20), B],
  [u(0), C],
  [u(29), C],
  [u(3), UNKNOWN_LABEL],
  [u(100), B],
];
const expected = ['removed', 'not_member', 'removed', 'not_member', 'removed', 'not_member', 'not_found', 'removed'];
const held = (i: number) => expected[i] === 'removed';
const pairKey = ([user, label]: [string, string]) => `${user}:${label}`;

test('non-members end not_member unsent, members removed, an unknown label not_found; restore puts back exactly who held', async () => {
  const before = t.emulator.state.pairs();
  const input = await writePairs(t.dir, pairs);
  const r = await cli(['remove', input, '--check-members', '--by', 'label', ...FAST], { env: t.emulator.env, cwd: t.dir });
  expect(r.code).toBe(1); // the unknown label's row is not done
  expect(r.stderr).toContain('checked 8 row(s) among their labels\' members');
  const results = await readResults(join(t.dir, 'pairs.results.csv'));
  expect(results.map((x) => x.status)).toEqual(expected);
  expect(results[1]!.message).toBe(`user ${u(100)} is not among the 80 members of label ${A} (read before any write): nothing to remove`);
  // only members were ever sent
  const sent = t.emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel').flatMap((c) => c.ids.map((id) => `${id}:${c.path.split('/')[4]}`));
  expect(sent.sort()).toEqual(pairs.filter((_, i) => held(i)).map(pairKey).sort());
  const back = await cli(['restore', join(t.dir, 'pairs.results.csv'), ...FAST], { env: t.emulator.env, cwd: t.dir });
  expect(back.code).toBe(0);
  expect(t.emulator.state.pairs().sort()).toEqual([...before].sort());
});

test('without it, Zoho\'s success is all there is for a label the run did not read: a non-member there ends removed', async () => {
  // the guard reads the smallest label (C); B's non-member is judged by Zoho's answer alone
  const input = await writePairs(t.dir, [[u(0), C], [u(1), C], [u(20), B], [u(45), B]]);
  const r = await cli(['remove', input, '--by', 'label', ...FAST], { env: t.emulator.env, cwd: t.dir });
  expect(r.code).toBe(0);
  expect((await readResults(join(t.dir, 'pairs.results.csv'))).map((x) => x.status)).toEqual(['removed', 'removed', 'removed', 'removed']);
});

test('a dry run checks too (reads only): non-members not_member, the rest planned', async () => {
  const input = await writePairs(t.dir, pairs);
  const r = await cli(['remove', input, '--check-members', '--dry-run'], { env: t.emulator.env, cwd: t.dir });
  expect(r.code).toBe(1); // the unknown label's row is not done
  expect((await readResults(join(t.dir, 'pairs.results.csv'))).map((x) => x.status)).toEqual(expected.map((s) => (s === 'removed' ? 'planned' : s)));
  expect(t.emulator.calls.filter((c) => c.method === 'POST')).toEqual([]);
});

test('stopped and resumed: the plan keeps what was read, nothing is read again, and restore is still exact', async () => {
  const before = t.emulator.state.pairs();
  const input = await writePairs(t.dir, pairs);
  const argv = ['remove', input, '--check-members', '--by', 'label', '--batch-size', '1', '--concurrency', '1', '--no-guard', ...FAST];
  const first = await cli([...argv, '--max-calls', '7'], { env: t.emulator.env, cwd: t.dir });
  expect(first.code).toBe(6);
  const plan = await readFile(join(t.dir, 'pairs.plan.csv'), 'utf8');
  expect(plan.split('\n')[0]).toContain('held_at_start');
  const reads = t.emulator.calls.filter((c) => c.endpoint === 'listLabelUsers').length;
  const again = await cli([...argv, '--resume'], { env: t.emulator.env, cwd: t.dir });
  expect(again.code).toBe(1);
  expect(t.emulator.calls.filter((c) => c.endpoint === 'listLabelUsers').length).toBe(reads);
  expect((await readResults(join(t.dir, 'pairs.results.csv'))).map((x) => x.status)).toEqual(expected);
  expect((await cli(['restore', join(t.dir, 'pairs.results.csv'), ...FAST], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
  expect(t.emulator.state.pairs().sort()).toEqual([...before].sort());
});

test('a job takes checkMembers; other actions refuse it', async () => {
  const input = await writePairs(t.dir, pairs);
  await writeFile(join(t.dir, 'job.json'), JSON.stringify({ name: 'checked', action: 'remove', input, checkMembers: true, out: 'job.results.csv' }));
  const r = await cli(['run', 'job.json'], { env: t.emulator.env, cwd: t.dir });
  expect(r.code).toBe(1);
  expect((await readResults(join(t.dir, 'job.results.csv'))).map((x) => x.status)).toEqual(expected);
  await writeFile(join(t.dir, 'retire.json'), JSON.stringify({ name: 'retire', action: 'retire-label', label: C, checkMembers: true, yes: true }));
  const refused = await cli(['run', 'retire.json'], { env: t.emulator.env, cwd: t.dir });
  expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining('checkMembers')]);
});

// With every row read held before the first write, a removal whose answer was
// lost and whose retry Zoho refuses (nonMember 404) is known to be this run's:
// removed, and restorable, even without the guard's read.
test('a lost answer, a refused retry: removed (the row was read held), and restore puts it back', async () => {
  Object.assign(t.emulator.knobs, { nonMember: '404' });
  const relay = await startFaultyProxy(t.emulator.url, { loseAnswerOf: [1] });
  try {
    const env = { ...t.emulator.env, ZOHO_DESK_URL: relay.url };
    const r = await cli(['remove', await writePairs(t.dir, [[u(0), A]]), '--check-members', '--no-guard', ...FAST], { env, cwd: t.dir });
    const [row] = await readResults(join(t.dir, 'pairs.results.csv'));
    expect([r.code, row!.status]).toEqual([0, 'removed']);
    expect((await cli(['restore', join(t.dir, 'pairs.results.csv'), ...FAST], { env, cwd: t.dir })).code).toBe(0);
    expect(t.emulator.state.has(A, u(0))).toBe(true);
  } finally {
    await relay.close();
  }
});
