// Emails and label names in the input of `remove`: looked up against the
// emulator (label list, member lists), then sent as ordinary pairs.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { defaultSeed, type Seed } from '../src/emulator/seed.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { cli, tempDir } from './helpers/cli.js';
import { A, B, C, u } from './helpers/seed.js';

const HC = '24073000002886005';
const HC2 = '24073000002886099';
const SHARED = '24073000002958031';
const SHARED2 = '24073000002958041';

/** The default seed, and a label named "Shared" in each of two help centers (both held by user 0). */
function seed(): Seed {
  const s = defaultSeed();
  s.helpCenters.push({ id: HC2, name: 'Partner Help Center', orgId: '2389290' });
  s.labels.push({ id: SHARED, name: 'Shared', helpCenterId: HC }, { id: SHARED2, name: 'shared ', helpCenterId: HC2 });
  s.memberships!.push({ labelId: SHARED, userIds: [u(3)] }, { labelId: SHARED2, userIds: [u(3)] });
  return s;
}

const writes = (e: RunningEmulator) => e.calls.filter((c) => ['removeUsersFromLabel', 'removeLabelsFromUser', 'addUsersToLabel'].includes(c.endpoint));
/** The most calls in flight at one moment. */
const mostAtOnce = (calls: readonly { startedAt: number; endedAt: number }[]): number => Math.max(0, ...calls.map((c) => calls.filter((o) => o.startedAt <= c.startedAt && o.endedAt > c.startedAt).length));
const readRows = async (file: string) => parse(await readFile(file, 'utf8'), { columns: true }) as Record<string, string>[];

let emulator: RunningEmulator;
let dir: string;
beforeEach(async () => {
  emulator = await startEmulator({ seed: seed() });
  dir = await tempDir();
});
afterEach(() => emulator.close());

/** Every kind of row: emails, names, IDs, in any mix. */
const MIXED = [
  'user_id,email,label_id,label',
  ',user1@zylker.com,,MVP', // 1 removed (u0 holds MVP)
  ',  USER2@Zylker.com ,, mvp ', // 2 removed: trimmed, any case
  `${u(41)},,,Beta Tester`, // 3 removed: an ID with a label name
  `,user61@zylker.com,${A},`, // 4 removed: an email with a label ID
  ',user50@zylker.com,,MVP', // 5 not_member: a user who does not hold MVP
  ',nobody@zylker.com,,Prime Customer', // 6 not_member: no such email at all
  ',user3@zylker.com,,Beta Testr', // 7 invalid: unknown label name
  ',user4@zylker.com,,Shared', // 8 invalid: two labels of that name
  `${u(0)},,${C},`, // 9 duplicate of row 1
  ',not-an-email,,MVP', // 10 invalid
].join('\n');

describe('remove with emails and label names', () => {
  test('every row ends with the right status, the right pairs are gone, and the results keep what the row said', async () => {
    await writeFile(join(dir, 'mixed.csv'), `${MIXED}\n`);
    const before = emulator.state.pairs();
    const r = await cli(['remove', 'mixed.csv'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(1); // the invalid rows are not done
    const after = new Set(emulator.state.pairs());
    expect(before.filter((p) => !after.has(p)).sort()).toEqual([`${u(0)}:${C}`, `${u(1)}:${C}`, `${u(41)}:${B}`, `${u(60)}:${A}`].sort());

    const rows = await readRows(join(dir, 'mixed.results.csv'));
    expect(Object.keys(rows[0]!).slice(-2)).toEqual(['email', 'label']);
    expect(rows.map((x) => [x.row, x.user_id, x.label_id, x.status, x.email, x.label])).toEqual([
      ['1', u(0), C, 'removed', 'user1@zylker.com', 'MVP'],
      ['2', u(1), C, 'removed', 'USER2@Zylker.com', 'mvp'],
      ['3', u(41), B, 'removed', '', 'Beta Tester'],
      ['4', u(60), A, 'removed', 'user61@zylker.com', ''],
      ['5', '', C, 'not_member', 'user50@zylker.com', 'MVP'],
      ['6', '', A, 'not_member', 'nobody@zylker.com', 'Prime Customer'],
      ['7', '', '', 'invalid', 'user3@zylker.com', 'Beta Testr'],
      ['8', '', '', 'invalid', 'user4@zylker.com', 'Shared'],
      ['9', u(0), C, 'duplicate', '', ''],
      ['10', '', '', 'invalid', 'not-an-email', 'MVP'],
    ]);
    expect(rows[4]!.message).toBe(`user50@zylker.com is not among the 10 members of label "MVP" (${C}): nothing to remove`);
    expect(rows[6]!.message).toBe('line 8: label "Beta Testr" does not exist; the closest names: "Beta Tester", "Shared", "MVP"');
    expect(rows[7]!.message).toBe(`line 9: label "Shared" is the name of 2 labels: ${SHARED} (help center ${HC}), ${SHARED2} (help center ${HC2}); give --help-center-id to pick one, or use its label_id`);
    expect(rows[8]!.message).toBe('line 10: same pair as row 1');
    expect(rows[9]!.message).toBe('line 11: email "not-an-email" is not an email address');
    // The label list once (one page), each label's members once: MVP and Prime Customer (two pages of 50).
    expect(emulator.calls.filter((c) => c.endpoint === 'listLabels')).toHaveLength(1);
    expect(emulator.calls.filter((c) => c.endpoint === 'listLabelUsers' && c.query.from === '1').map((c) => c.path).sort()).toEqual(
      expect.arrayContaining([`/api/v1/labels/${C}/users`, `/api/v1/labels/${A}/users`]),
    );
  });

  test('not_member is done: a file of members and non-members exits 0', async () => {
    await writeFile(join(dir, 'in.csv'), 'email,label\nuser1@zylker.com,MVP\nuser100@zylker.com,MVP\n');
    const r = await cli(['remove', 'in.csv', '--json'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ counts: { removed: 1, not_member: 1 } });
    expect(writes(emulator).flatMap((c) => c.ids)).toEqual([u(0)]);
  });

  test('--help-center-id picks among labels of the same name', async () => {
    await writeFile(join(dir, 'in.csv'), 'email,label\nuser4@zylker.com,shared\n');
    const r = await cli(['remove', 'in.csv', '--help-center-id', HC2], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(0);
    expect([emulator.state.has(SHARED, u(3)), emulator.state.has(SHARED2, u(3))]).toEqual([true, false]);
    expect(emulator.calls.find((c) => c.endpoint === 'listLabels')?.query.helpCenterId).toBe(HC2);
  });

  test('the dry run looks up too, writes nothing, and matches the real run: statuses, IDs, plan and its credits', async () => {
    await writeFile(join(dir, 'mixed.csv'), `${MIXED}\n`);
    const dry = await cli(['remove', 'mixed.csv', '--dry-run', '--json', '--out', 'dry.csv'], { env: emulator.env, cwd: dir });
    expect(dry.code).toBe(1);
    expect(writes(emulator)).toHaveLength(0);
    const reads = emulator.calls.length;
    const readCredits = emulator.credits.used;
    expect(reads).toBeGreaterThan(0);
    const real = await cli(['remove', 'mixed.csv', '--json', '--out', 'real.csv'], { env: emulator.env, cwd: dir });
    expect(real.code).toBe(1);
    const [d, r] = [JSON.parse(dry.stdout), JSON.parse(real.stdout)] as { counts: Record<string, number>; batches: number; grouping: string; credits: { writes: number; reads: number } }[];
    expect(d!.counts).toEqual({ ...r!.counts, planned: r!.counts.removed, removed: 0 });
    expect([d!.batches, d!.grouping, d!.credits.writes]).toEqual([r!.batches, r!.grouping, r!.credits.writes]);
    // The plan's estimate counts the lookups it made: here every credit the dry run spent.
    expect(d!.credits.reads).toBeGreaterThanOrEqual(readCredits);
    expect(d!.credits.reads).toBe(r!.credits.reads);
    const [dryRows, realRows] = [await readRows(join(dir, 'dry.csv')), await readRows(join(dir, 'real.csv'))];
    expect(dryRows.map((x) => [x.user_id, x.label_id, x.status === 'planned' ? 'removed' : x.status, x.message])).toEqual(realRows.map((x) => [x.user_id, x.label_id, x.status, x.message]));
  });

  test('the looked-up rows are kept beside the results before any write (x.plan.csv)', async () => {
    await writeFile(join(dir, 'in.csv'), 'email,label\nuser1@zylker.com,MVP\nuser100@zylker.com,MVP\n');
    expect((await cli(['remove', 'in.csv', '--dry-run'], { env: emulator.env, cwd: dir })).code).toBe(0);
    const plan = await readRows(join(dir, 'in.plan.csv'));
    expect(plan.map((x) => [x.row, x.user_id, x.label_id, x.status, x.email, x.label])).toEqual([
      ['1', u(0), C, 'planned', 'user1@zylker.com', 'MVP'],
      ['2', '', C, 'not_member', 'user100@zylker.com', 'MVP'],
    ]);
  });

  test('member lists of several labels are read --concurrency at a time', async () => {
    emulator.knobs.latencyMs = 40;
    await writeFile(join(dir, 'in.csv'), 'email,label\nuser1@zylker.com,MVP\nuser1@zylker.com,Prime Customer\nuser50@zylker.com,Beta Tester\n');
    expect((await cli(['remove', 'in.csv', '--dry-run', '--concurrency', '3'], { env: emulator.env, cwd: dir })).code).toBe(0);
    expect(mostAtOnce(emulator.calls.filter((c) => c.endpoint === 'listLabelUsers'))).toBe(3);
  });

  test('a dry run that must look up needs the credentials, and says why (exit 2, nothing read)', async () => {
    await writeFile(join(dir, 'in.csv'), 'email,label\nuser1@zylker.com,MVP\n');
    const r = await cli(['remove', 'in.csv', '--dry-run'], { env: {}, cwd: dir });
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('1 row(s) of')]);
    expect(r.stderr).toContain('name a user by email or a label by name: looking them up reads from Zoho, on a dry run too');
    expect(emulator.calls).toHaveLength(0);
  });

  test('an ID-only file makes no lookups and needs no credentials for a dry run', async () => {
    await writeFile(join(dir, 'ids.csv'), `user_id,label_id,email\n${u(0)},${C},someone@zylker.com\n`);
    const r = await cli(['remove', 'ids.csv', '--dry-run'], { env: {}, cwd: dir });
    expect(r.code).toBe(0);
    expect(emulator.calls).toHaveLength(0);
    const rows = await readRows(join(dir, 'ids.results.csv'));
    expect(rows.map((x) => [x.user_id, x.status, x.email])).toEqual([[u(0), 'planned', 'someone@zylker.com']]);
  });
});
