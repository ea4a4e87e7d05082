// Zoho's spec is silent on several answers (ZOHO-NOTES.md). The emulator has
// an option for each plausible answer; every core flow must end right under
// every one: the requested pairs gone, nothing else changed (or, if the
// remove endpoint wipes a label, the guard puts it back and stops), every row
// with a status its evidence supports.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorKnobs } from '../src/emulator/knobs.js';
import { defaultSeed } from '../src/emulator/seed.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { cli, readResults, tempDir, writePairs, type ResultRow } from './helpers/cli.js';
import { eachTest } from './helpers/emulator.js';
import { A, B, C, u } from './helpers/seed.js';

type Option = Partial<Pick<EmulatorKnobs, 'labelIdsIn' | 'errorsArray' | 'nonMember' | 'unknownUserInBatch' | 'removeScope' | 'emptyPage'>>;
const options: [string, Option][] = [
  ['defaults', {}],
  ['labelIdsIn=query', { labelIdsIn: 'query' }],
  ['errorsArray=without', { errorsArray: 'without' }],
  ['nonMember=404', { nonMember: '404' }],
  ['nonMember=422', { nonMember: '422' }],
  ['nonMember=422, errorsArray=without', { nonMember: '422', errorsArray: 'without' }],
  ['unknownUserInBatch=ignore', { unknownUserInBatch: 'ignore' }],
  ['removeScope=all', { removeScope: 'all' }],
  ['emptyPage=data (an empty list page as 200 with data: [])', { emptyPage: 'data' }],
  ['labelIdsIn=query, errorsArray=without', { labelIdsIn: 'query', errorsArray: 'without' }],
];

const UNKNOWN_USER = '1060099000000999999';
const UNKNOWN_LABEL = '24073000009999999';
const FAST = ['--retry-base-ms', '5'];

/** The remove input: members to remove, a non-member, an unknown user, an unknown label. */
const input: { pair: [string, string]; kind: 'member' | 'non-member' | 'unknown-user' | 'unknown-label' }[] = [
  { pair: [u(1), A], kind: 'member' },
  { pair: [u(2), A], kind: 'member' },
  { pair: [u(100), A], kind: 'non-member' },
  { pair: [UNKNOWN_USER, A], kind: 'unknown-user' },
  { pair: [u(45), B], kind: 'member' },
  { pair: [u(46), B], kind: 'member' },
  { pair: [u(3), UNKNOWN_LABEL], kind: 'unknown-label' },
  { pair: [u(5), C], kind: 'member' },
  { pair: [u(45), A], kind: 'member' },
];

/**
 * The statuses a row may end with. A member is removed. A non-member is
 * not_member (a read showed it) or removed (Zoho answered success). An
 * unknown user or label is not_found (a read showed it missing), or removed
 * when Zoho answered success for the whole batch (ignore). Never failed.
 */
function allowed(kind: (typeof input)[number]['kind'], o: Option): string[] {
  if (kind === 'member') return ['removed'];
  if (kind === 'non-member') return o.nonMember === '404' || o.nonMember === '422' ? ['not_member'] : ['removed', 'not_member'];
  if (kind === 'unknown-user') return o.unknownUserInBatch === 'ignore' ? ['removed', 'not_found'] : ['not_found'];
  return ['not_found'];
}

/** Every not_found row is backed by a read that Zoho answered 404 for its label or user. */
function checkEvidence(emulator: RunningEmulator, results: ResultRow[]): void {
  for (const r of results.filter((x) => x.status === 'not_found')) {
    const read = emulator.calls.find(
      (c) => (c.endpoint === 'getUser' || c.endpoint === 'getLabel') && c.status === 404 && (c.path.endsWith(`/${r.user_id}`) || c.path.endsWith(`/${r.label_id}`)),
    );
    expect({ row: r.row, evidence: read !== undefined }).toEqual({ row: r.row, evidence: true });
    expect(r.message).toContain('does not exist');
  }
}

describe.each(options)('with the emulator answering %s', (_name, option) => {
  let emulator: RunningEmulator;
  let dir: string;
  let before: string[];
  beforeEach(async () => {
    emulator = await startEmulator(option);
    dir = await tempDir();
    before = emulator.state.pairs();
  });
  afterEach(() => emulator.close());

  const changed = () => {
    const after = new Set(emulator.state.pairs());
    return { gone: before.filter((p) => !after.has(p)).sort(), added: [...after].filter((p) => !before.includes(p)) };
  };
  const wiped = option.removeScope === 'all';

  test.each(['label', 'user', 'auto'] as const)('remove --by %s', async (by) => {
    const file = await writePairs(dir, input.map((r) => r.pair));
    const r = await cli(['remove', file, '--by', by, '--verify', ...FAST], { env: emulator.env, cwd: dir });
    const results = await readResults(join(dir, 'pairs.results.csv'));
    expect(results).toHaveLength(input.length);
    if (wiped) {
      // The guard sent one batch alone, saw more vanish than it sent, put them back and stopped.
      expect([r.code, r.stderr]).toEqual([8, expect.stringContaining('first-write guard stopped the run')]);
      const { gone, added } = changed();
      const removed = results.filter((x) => x.status === 'removed').map((x) => `${x.user_id}:${x.label_id}`);
      expect(gone).toEqual(removed.filter((p) => before.includes(p)).sort());
      expect(added).toEqual([]);
      expect(removed.length).toBeLessThanOrEqual(2);
      return;
    }
    const verdicts = results.map((x, i) => ({ row: x.row, status: x.status, message: x.message, allowed: allowed(input[i]!.kind, option).includes(x.status) }));
    expect(verdicts.filter((v) => !v.allowed)).toEqual([]);
    checkEvidence(emulator, results);
    const members = input.filter((x) => x.kind === 'member').map((x) => `${x.pair[0]}:${x.pair[1]}`);
    expect(changed()).toEqual({ gone: members.sort(), added: [] });
    // unknown rows are not done (exit 1) unless Zoho accepted them; a non-member is done
    const notDone = results.some((x) => x.status === 'not_found');
    expect(r.code).toBe(notDone ? 1 : 0);
    expect(results.filter((x) => x.status === 'removed').every((x) => (x as Record<string, string>).verified === 'yes')).toBe(true);
    if (by === 'user' && option.labelIdsIn === 'query') {
      const manifest = JSON.parse(await readFile(join(dir, 'pairs.manifest.json'), 'utf8')) as { labelIdsIn: string };
      expect(manifest.labelIdsIn).toBe('query');
    }
  });

  test('retire-label, then restore', async () => {
    const r = await cli(['retire-label', '--label', C, '--yes', '--batch-size', '4', ...FAST], { env: emulator.env, cwd: dir });
    const results = await readResults(join(dir, `retire-${C}.results.csv`));
    if (wiped) {
      expect(r.code).toBe(8);
      const removed = results.filter((x) => x.status === 'removed').map((x) => `${x.user_id}:${x.label_id}`);
      expect(changed()).toEqual({ gone: removed.sort(), added: [] });
      expect(removed).toHaveLength(2); // the smallest batch, alone
      expect(results.filter((x) => x.status === 'deferred')).toHaveLength(8);
    } else {
      expect(r.code).toBe(0);
      expect(emulator.state.members.get(C)?.size).toBe(0);
      expect(changed().gone).toHaveLength(10);
    }
    const back = await cli(['restore', join(dir, `retire-${C}.results.csv`), ...FAST], { env: emulator.env, cwd: dir });
    expect(back.code).toBe(0);
    expect(changed()).toEqual({ gone: [], added: [] });
  });

  test('reconcile removes exactly the members not on the keep list', async () => {
    const keep = join(dir, 'keep.csv');
    await writeFile(keep, ['user_id', ...Array.from({ length: 60 }, (_, i) => u(i))].join('\n') + '\n');
    const r = await cli(['reconcile', '--label', A, '--keep', keep, '--yes', '--batch-size', '8', ...FAST], { env: emulator.env, cwd: dir });
    const expectedGone = Array.from({ length: 20 }, (_, i) => `${u(60 + i)}:${A}`).sort();
    if (wiped) {
      expect(r.code).toBe(8);
      const { gone, added } = changed();
      expect(added).toEqual([]);
      expect(gone.every((p) => expectedGone.includes(p))).toBe(true);
      expect(gone.length).toBeLessThanOrEqual(8);
      return;
    }
    expect(r.code).toBe(0);
    expect(changed()).toEqual({ gone: expectedGone, added: [] });
  });
});

// Found by a new user's trial: the probe sends a refused batch's first row
// alone; when that row is the non-member and the lesson is "about IDs", the
// rest of the batch (never refused as it is) must go again, not be judged by
// the refusal it shared with the probe's row.
test.each(['404', '422'] as const)('nonMember=%s: a label batch that starts with a non-member removes its members and names its non-members', async (nonMember) => {
  const emulator = await startEmulator({ nonMember });
  try {
    const dir = await tempDir();
    const before = emulator.state.pairs();
    const pairs: [string, string][] = [
      [u(45), B],
      [u(46), B],
      [u(29), C],
      [u(0), C],
      [u(1), C],
      [UNKNOWN_USER, B],
      [u(7), UNKNOWN_LABEL],
      [u(8), A],
      [u(20), C],
    ];
    const file = await writePairs(dir, pairs);
    const r = await cli(['remove', file, ...FAST], { env: emulator.env, cwd: dir });
    const results = await readResults(join(dir, 'pairs.results.csv'));
    expect(results.map((x) => [x.user_id, x.label_id, x.status])).toEqual([
      [u(45), B, 'removed'],
      [u(46), B, 'removed'],
      [u(29), C, 'not_member'],
      [u(0), C, 'removed'],
      [u(1), C, 'removed'],
      [UNKNOWN_USER, B, 'not_found'],
      [u(7), UNKNOWN_LABEL, 'not_found'],
      [u(8), A, 'removed'],
      [u(20), C, 'not_member'],
    ]);
    const after = new Set(emulator.state.pairs());
    expect(before.filter((p) => !after.has(p)).sort()).toEqual([`${u(45)}:${B}`, `${u(46)}:${B}`, `${u(0)}:${C}`, `${u(1)}:${C}`, `${u(8)}:${A}`].sort());
    expect(r.code).toBe(1); // the not_found rows are not done
  } finally {
    await emulator.close();
  }
});

// Zoho may answer success for removing a user who does not hold the label
// (nonMember=success). Where the run read the label's members before its first
// write (the guard's before-read), such a row is not_member, and restore never
// gives the label to someone who did not hold it. Without that read, the answer
// is all there is: removed.
describe('nonMember=success: a non-member on a label the run read before writing', () => {
  const t = eachTest({ nonMember: 'success' });

  test.each(['label', 'user'] as const)('--by %s: not_member (the read), and restore adds back only the member', async (by) => {
    const before = t.emulator.state.pairs();
    const file = await writePairs(t.dir, [[u(29), C], [u(0), C]]);
    const r = await cli(['remove', file, '--by', by, ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    expect(results.map((x) => [x.user_id, x.status])).toEqual([[u(29), 'not_member'], [u(0), 'removed']]);
    expect(results[0]!.message).toContain('did not hold the label when the run began');
    const back = await cli(['restore', join(t.dir, 'pairs.results.csv'), ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(back.code).toBe(0);
    expect(t.emulator.state.pairs().sort()).toEqual([...before].sort());
    expect(t.emulator.state.has(C, u(29))).toBe(false);
  });

  test('--no-guard: nothing was read, so Zoho\'s success is all there is: removed (the README says restore would add it)', async () => {
    const file = await writePairs(t.dir, [[u(29), C]]);
    const r = await cli(['remove', file, '--no-guard', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    expect((await readResults(join(t.dir, 'pairs.results.csv'))).map((x) => x.status)).toEqual(['removed']);
  });
});

// removeScope=all: a guarded batch that takes everything its target holds
// looks the same whether Zoho removes the list or everything, so it cannot be
// the guard's proof (an audit found the guard passing on it, then the next
// label wiped). The guard picks a target that keeps something.
describe('removeScope=all: the guard proves on a target its batch does not empty', () => {
  const t = eachTest({ removeScope: 'all' });

  test('--by label: every member of C and five of A: stopped on A (exit 8), A put back, nothing else lost', async () => {
    const before = t.emulator.state.pairs();
    const fiveOfA = Array.from({ length: 5 }, (_, i) => [u(20 + i), A] as [string, string]);
    const allOfC = Array.from({ length: 10 }, (_, i) => [u(i), C] as [string, string]);
    const r = await cli(['remove', await writePairs(t.dir, [...allOfC, ...fiveOfA]), '--by', 'label', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect([r.code, r.stderr]).toEqual([8, expect.stringContaining('first-write guard stopped the run')]);
    const after = new Set(t.emulator.state.pairs());
    expect(before.filter((p) => !after.has(p)).sort()).toEqual(fiveOfA.map(([user, label]) => `${user}:${label}`).sort());
    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    expect(results.map((x) => x.status)).toEqual([...allOfC.map(() => 'deferred'), ...fiveOfA.map(() => 'removed')]);
  });

  test('--by user: a user\'s only label and labels of users who hold more: stopped (exit 8), nothing lost unasked', async () => {
    const before = t.emulator.state.pairs();
    // u(101) holds only B; u(1)..u(3) hold A and C
    const pairs: [string, string][] = [[u(101), B], [u(1), A], [u(2), A], [u(3), A]];
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--by', 'user', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(8);
    const after = new Set(t.emulator.state.pairs());
    const gone = before.filter((p) => !after.has(p));
    const asked = new Set(pairs.map(([user, label]) => `${user}:${label}`));
    expect(gone.filter((p) => !asked.has(p))).toEqual([]);
    expect(gone.length).toBe(1); // the guard's one batch, alone
  });
});

describe('the summary and the manifest say what the guard did', () => {
  const t = eachTest();

  const guardOf = async (name: string) => (JSON.parse(await readFile(join(t.dir, `${name}.manifest.json`), 'utf8')) as { guard: { outcome: string; note: string } }).guard;

  test('passed: the label it sent alone, and the reads it made (a count, the members, the read-back)', async () => {
    const r = await cli(['remove', await writePairs(t.dir, [[u(20), A], [u(21), A]])], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`first-write guard: passed (label ${A}: only the IDs sent were removed)`);
    expect(await guardOf('pairs')).toMatchObject({ outcome: 'passed' });
    expect(t.emulator.calls.map((c) => c.endpoint)).toEqual(['getLabel', 'listLabelUsers', 'listLabelUsers', 'removeUsersFromLabel', 'getLabel', 'listLabelUsers']);
  });

  test('inconclusive: a batch that takes all its label holds is not sent first, and the summary says none proved anything', async () => {
    const all = Array.from({ length: 10 }, (_, i) => [u(i), C] as [string, string]);
    const r = await cli(['remove', await writePairs(t.dir, all)], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('first-write guard: inconclusive (by label: every batch tried takes all its target holds');
    expect(t.emulator.state.members.get(C)?.size).toBe(0);
  });

  test('inconclusive over many labels each emptied by its batch: at most 3 member lists are read to find that out', async () => {
    // 8 labels of 2 members each, every member listed: each batch takes all its label holds
    const seed = defaultSeed();
    const labels = Array.from({ length: 8 }, (_, i) => String(24073000002959000n + BigInt(i)));
    seed.labels.push(...labels.map((id, i) => ({ id, name: `Emptied ${i}`, helpCenterId: seed.helpCenters[0]!.id })));
    seed.memberships!.push(...labels.map((labelId, i) => ({ labelId, userIds: [u(40 + 2 * i), u(41 + 2 * i)] })));
    const emulator = await startEmulator({ seed });
    try {
      const pairs = labels.flatMap((l, i) => [[u(40 + 2 * i), l], [u(41 + 2 * i), l]] as [string, string][]);
      const r = await cli(['remove', await writePairs(t.dir, pairs)], { env: emulator.env, cwd: t.dir });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('first-write guard: inconclusive (by label: every batch tried takes all its target holds');
      const firstWrite = emulator.calls.findIndex((c) => c.endpoint === 'removeUsersFromLabel');
      const listed = new Set(emulator.calls.slice(0, firstWrite).filter((c) => c.endpoint === 'listLabelUsers').map((c) => c.path));
      expect(listed.size).toBe(3);
      expect(labels.every((l) => (emulator.state.members.get(l)?.size ?? 0) === 0)).toBe(true);
    } finally {
      await emulator.close();
    }
  });

  test('off with --no-guard: no read at all, and the summary says so', async () => {
    const r = await cli(['remove', await writePairs(t.dir, [[u(20), A]]), '--no-guard'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('first-write guard: off (--no-guard)');
    expect(await guardOf('pairs')).toMatchObject({ outcome: 'off', note: '--no-guard' });
    expect(t.emulator.calls.map((c) => c.endpoint)).toEqual(['removeUsersFromLabel']);
  });
});
