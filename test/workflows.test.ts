import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { cli, readResults, writePairs } from './helpers/cli.js';
import { eachTest } from './helpers/emulator.js';
import { A, B, C, u } from './helpers/seed.js';

const members = (e: RunningEmulator, label: string) => [...(e.state.members.get(label)?.keys() ?? [])].sort();
const writes = (e: RunningEmulator) => e.calls.filter((c) => ['removeUsersFromLabel', 'removeLabelsFromUser', 'addUsersToLabel'].includes(c.endpoint));

const t = eachTest();

describe('export', () => {
  test('a label with more than 50 members, paged, as a CSV that remove takes', async () => {
    const r = await cli(['export', '--label', A], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['user_id', 'label_id', 'name', 'email', 'assigned_time']);
    expect(rows).toHaveLength(80);
    expect(rows.map((x) => x.user_id).sort()).toEqual(members(t.emulator, A));
    expect(rows[0]).toMatchObject({ user_id: u(0), label_id: A, name: 'User 1', email: 'user1@zylker.com' });
    expect(t.emulator.calls.filter((c) => c.endpoint === 'listLabelUsers').map((c) => c.query.from)).toEqual(['1', '51']);
    expect(writes(t.emulator)).toHaveLength(0);

    await writeFile(join(t.dir, 'export.csv'), r.stdout);
    const dry = await cli(['remove', 'export.csv', '--dry-run', '--json'], { env: {}, cwd: t.dir });
    expect((JSON.parse(dry.stdout) as { counts: { planned: number } }).counts.planned).toBe(80);
  });

  test('several labels, --all-labels, --out; an unknown label is exit 2', async () => {
    expect((await cli(['export', '--label', A, '--label', C, '--out', 'two.csv'], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
    expect(parse(await readFile(join(t.dir, 'two.csv'), 'utf8'), { columns: true })).toHaveLength(90);
    const all = await cli(['export', '--all-labels', '--help-center-id', '24073000002886005'], { env: t.emulator.env, cwd: t.dir });
    expect(parse(all.stdout, { columns: true })).toHaveLength(170);
    const unknown = await cli(['export', '--label', '24073000009999999'], { env: t.emulator.env, cwd: t.dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--label 24073000009999999: no such label');
    expect((await cli(['export'], { env: t.emulator.env, cwd: t.dir })).code).toBe(2);
  });
});

describe('retire-label and restore', () => {
  test('retire removes every member and keeps the label; restore brings back exactly the original members; a second restore changes nothing', async () => {
    const original = members(t.emulator, A);
    const others = [members(t.emulator, B), members(t.emulator, C)];
    const r = await cli(['retire-label', '--label', A, '--yes', '--verify'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    expect(members(t.emulator, A)).toEqual([]);
    expect(t.emulator.state.labels.has(A)).toBe(true);
    expect(t.emulator.calls.some((c) => c.endpoint === 'deleteLabel')).toBe(false);
    expect([members(t.emulator, B), members(t.emulator, C)]).toEqual(others);
    expect(r.stderr).toContain('itself was not deleted: zdlabels never deletes labels');
    expect(r.stderr).toContain('verified by reading back 1 labels: every change confirmed');
    const snapshot = parse(await readFile(join(t.dir, `retire-${A}.snapshot.csv`), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(snapshot.map((x) => x.user_id).sort()).toEqual(original);
    const results = await readResults(join(t.dir, `retire-${A}.results.csv`));
    expect(results).toHaveLength(80);
    expect(results.every((x) => x.status === 'removed' && (x as Record<string, string>).verified === 'yes')).toBe(true);

    const back = await cli(['restore', `retire-${A}.results.csv`], { env: t.emulator.env, cwd: t.dir });
    expect(back.code).toBe(0);
    expect(members(t.emulator, A)).toEqual(original);
    expect(t.emulator.calls.filter((c) => c.endpoint === 'addUsersToLabel').every((c) => c.ids.length <= 50)).toBe(true);
    const restored = await readResults(join(t.dir, `retire-${A}.restore.csv`));
    expect(restored).toHaveLength(80);
    expect(new Set(restored.map((x) => x.status))).toEqual(new Set(['added']));

    const state = t.emulator.state.pairs();
    const again = await cli(['restore', `retire-${A}.results.csv`, '--out', 'again.csv'], { env: t.emulator.env, cwd: t.dir });
    expect(again.code).toBe(0);
    expect(t.emulator.state.pairs()).toEqual(state);
  });

  test('without --yes and without a terminal it refuses before any write: exit 5', async () => {
    const r = await cli(['retire-label', '--label', C], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('pass --yes');
    expect(writes(t.emulator)).toHaveLength(0);
    expect(members(t.emulator, C)).toHaveLength(10);
  });

  test('on a terminal it asks first: "n" sends nothing (exit 5), "y" retires', async () => {
    const no = await cli(['retire-label', '--label', C], { env: t.emulator.env, cwd: t.dir, ttyAnswer: 'n' });
    expect(no.code).toBe(5);
    expect(no.stderr).toContain(`Remove all 10 users from label "MVP" (${C}) in 1 calls? [y/N]`);
    expect(writes(t.emulator)).toHaveLength(0);
    const yes = await cli(['retire-label', '--label', C], { env: t.emulator.env, cwd: t.dir, ttyAnswer: 'y' });
    expect(yes.code).toBe(0);
    expect(members(t.emulator, C)).toEqual([]);
  });

  test('--dry-run shows the plan and writes nothing', async () => {
    const r = await cli(['retire-label', '--label', C, '--dry-run', '--json'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { counts: { planned: number } }).counts.planned).toBe(10);
    expect(writes(t.emulator)).toHaveLength(0);
  });

  test('a retirement stopped by spent credits resumes from its snapshot', async () => {
    t.emulator.knobs.dailyCredits = 8; // getLabel 1, two pages of members 3 + 3, one removal 1
    const r = await cli(['retire-label', '--label', A, '--yes', '--batch-size', '20', '--concurrency', '1', '--no-guard'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(6);
    expect(members(t.emulator, A)).toHaveLength(60);
    t.emulator.knobs.dailyCredits = Number.POSITIVE_INFINITY;
    const again = await cli(['retire-label', '--label', A, '--yes', '--resume', '--batch-size', '20'], { env: t.emulator.env, cwd: t.dir });
    expect(again.code).toBe(0);
    expect(members(t.emulator, A)).toEqual([]);
    const results = await readResults(join(t.dir, `retire-${A}.results.csv`));
    expect(results).toHaveLength(80);
    expect(results.every((x) => x.status === 'removed')).toBe(true);
  });

  test('restore only adds back rows marked removed', async () => {
    const input = await writePairs(t.dir, [[u(1), C], [u(2), C], [u(200), C]]);
    expect((await cli(['remove', input], { env: t.emulator.env, cwd: t.dir })).code).toBe(1);
    const dry = await cli(['restore', 'pairs.results.csv', '--dry-run', '--json'], { env: t.emulator.env, cwd: t.dir });
    expect((JSON.parse(dry.stdout) as { counts: { planned: number } }).counts.planned).toBe(2);
    expect(writes(t.emulator).filter((c) => c.endpoint === 'addUsersToLabel')).toHaveLength(0);
    expect((await cli(['restore', 'pairs.results.csv'], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
    expect(t.emulator.state.has(C, u(1)) && t.emulator.state.has(C, u(2))).toBe(true);
    expect((await readResults(join(t.dir, 'pairs.restore.csv'))).map((x) => [x.row, x.status])).toEqual([
      ['1', 'added'],
      ['2', 'added'],
    ]);
  });

  test('a --resume that finds nothing left sends nothing and reports no rate for the pairs the earlier run added', async () => {
    expect((await cli(['retire-label', '--label', C, '--yes'], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
    expect((await cli(['restore', `retire-${C}.results.csv`], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
    const calls = t.emulator.calls.length;
    const again = await cli(['restore', `retire-${C}.results.csv`, '--resume', '--json'], { env: t.emulator.env, cwd: t.dir });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ counts: { added: 10 }, calls: 0, pairsPerSecond: 0 });
    expect(again.stderr).toMatch(/ 0 calls \(0 retries\), .* 0 pairs\/s\n/);
    expect(t.emulator.calls.slice(calls).filter((c) => c.endpoint === 'addUsersToLabel')).toEqual([]);
  });
});

describe('reconcile', () => {
  const keep = async (ids: string[]) => {
    await writeFile(join(t.dir, 'keep.csv'), ['user_id', ...ids].join('\n') + '\n');
    return 'keep.csv';
  };

  test('--check: exit 4 and the drift when there is some, 0 when none; nothing written', async () => {
    const file = await keep([...Array.from({ length: 8 }, (_, i) => u(i)), u(500)]);
    const r = await cli(['reconcile', '--label', C, '--keep', file, '--check', '--json'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(4);
    const report = JSON.parse(r.stdout) as { drift: number; wouldRemove: { userId: string }[]; keepNotMembers: number };
    expect(report.drift).toBe(2);
    expect(report.wouldRemove.map((x) => x.userId)).toEqual([u(8), u(9)]);
    expect(report.keepNotMembers).toBe(1);
    expect(r.stderr).toContain(`drift: 2 member(s) not on the keep list would be removed`);
    expect(r.stderr).toContain(u(9));
    const none = await cli(['reconcile', '--label', C, '--keep', await keep(Array.from({ length: 10 }, (_, i) => u(i))), '--check'], { env: t.emulator.env, cwd: t.dir });
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('no drift');
    expect(writes(t.emulator)).toHaveLength(0);
  });

  test('applies: removes members not on the list and never adds', async () => {
    const r = await cli(['reconcile', '--label', C, '--keep', await keep([...Array.from({ length: 7 }, (_, i) => u(i)), u(100)]), '--yes', '--verify'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    expect(members(t.emulator, C)).toEqual(Array.from({ length: 7 }, (_, i) => u(i)));
    expect(t.emulator.state.has(C, u(100))).toBe(false);
    expect(t.emulator.calls.some((c) => c.endpoint === 'addUsersToLabel')).toBe(false);
    expect((await readResults(join(t.dir, `reconcile-${C}.results.csv`))).map((x) => x.user_id)).toEqual([u(7), u(8), u(9)]);
  });

  test('an empty keep file stops before any write (exit 5) unless --max-removals is raised explicitly', async () => {
    const empty = await keep([]);
    const r = await cli(['reconcile', '--label', C, '--keep', empty, '--yes'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('lists nobody: that would remove all 10 members');
    expect(writes(t.emulator)).toHaveLength(0);
    expect((await cli(['reconcile', '--label', C, '--keep', empty, '--yes', '--max-removals', '9'], { env: t.emulator.env, cwd: t.dir })).code).toBe(5);
    expect(members(t.emulator, C)).toHaveLength(10);
    expect((await cli(['reconcile', '--label', C, '--keep', empty, '--yes', '--max-removals', '10'], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
    expect(members(t.emulator, C)).toHaveLength(0);
  });

  test('an empty keep file for an empty label is no drift, not a refusal', async () => {
    t.emulator.state.members.get(C)?.clear();
    const r = await cli(['reconcile', '--label', C, '--keep', await keep([]), '--yes'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('0 rows → nothing to do');
  });

  test('by default at most half of the members may go (a truncated keep file must not wipe a label)', async () => {
    const r = await cli(['reconcile', '--label', A, '--keep', await keep([u(0), u(1)]), '--yes'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('would remove 78 of 80 members');
    expect(r.stderr).toContain('(default: half the members)');
    expect(writes(t.emulator)).toHaveLength(0);
  });

  test('a bad ID in the keep file refuses the whole file (exit 2)', async () => {
    const r = await cli(['reconcile', '--label', C, '--keep', await keep([u(0), '1.06E+18']), '--check'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 3: user_id "1.06E+18" is in spreadsheet scientific notation');
  });
});

describe('--verify', () => {
  test('catches a pair the t.emulator answered success for but silently kept', async () => {
    t.emulator.knobs.silentlyKeep = [`${u(3)}:${A}`];
    const pairs: [string, string][] = Array.from({ length: 6 }, (_, i) => [u(i), A]);
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--verify', '--json', '--no-guard'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(1);
    const results = (await readResults(join(t.dir, 'pairs.results.csv'))) as (Record<string, string>)[];
    expect(results.map((x) => [x.status, x.verified])).toEqual([
      ['removed', 'yes'],
      ['removed', 'yes'],
      ['removed', 'yes'],
      ['removed', 'no'],
      ['removed', 'yes'],
      ['removed', 'yes'],
    ]);
    expect(results[3]!.message).toBe('Zoho answered success, but the user still holds the label');
    expect(r.stderr).toContain('1 NOT confirmed');
    // one label touched, six users: reading the label is cheaper
    expect(t.emulator.calls.filter((c) => c.endpoint === 'listLabelUsers')).toHaveLength(2);
  });

  test('reads the users instead when fewer users than labels were touched', async () => {
    const r = await cli(['remove', await writePairs(t.dir, [[u(45), A], [u(45), B]]), '--verify', '--by', 'user', '--no-guard'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    expect(t.emulator.calls.filter((c) => c.endpoint === 'listUserLabels')).toHaveLength(1);
    expect(t.emulator.calls.filter((c) => c.endpoint === 'listLabelUsers')).toHaveLength(0);
  });
});

describe('doctor', () => {
  test('healthy: exit 0, lists help centers and labels with member counts', async () => {
    const r = await cli(['doctor'], { env: t.emulator.env, cwd: t.dir });
    expect([r.code, r.stdout]).toEqual([0, expect.stringContaining('✔ token refresh works')]);
    expect(r.stdout).toContain(`✔ data centre com: Desk ${t.emulator.url}, Accounts ${t.emulator.url} (overridden)`);
    expect(r.stdout).toContain('✔ organization 2389290 is reachable');
    expect(r.stdout).toContain('24073000002886005  Zylker Help Center');
    expect(r.stdout).toMatch(new RegExp(`${A}  Prime Customer  \\(80 members\\)`));
    expect(writes(t.emulator)).toHaveLength(0);
  });

  test('a wrong data centre (Desk refuses a token Accounts just issued) is explained: exit 3', async () => {
    const other = await startEmulator({ credentials: t.emulator.credentials });
    try {
      const r = await cli(['doctor'], { env: { ...t.emulator.env, ZOHO_DESK_URL: other.url }, cwd: t.dir });
      expect(r.code).toBe(3);
      expect(r.stdout).toContain('✔ token refresh works');
      expect(r.stdout).toMatch(/✘ organizations: .*data centre is probably wrong: a wrong data centre answers 401 even to a valid token\. ZOHO_DC is "com"/);
    } finally {
      await other.close();
    }
  });

  test.each([
    ['an org id the token does not reach', { ZOHO_ORG_ID: '777' }, {}, /ZOHO_ORG_ID=777 is not among the organizations this token reaches: 2389290 \(Zylker\)/],
    ['missing scopes', {}, { scopes: ['Desk.basic.READ'] }, /lacks a needed scope.*Desk\.settings\.READ/],
    ['a refused refresh token', { ZOHO_REFRESH_TOKEN: 'nope' }, {}, /✘ token refresh: .*ZOHO_REFRESH_TOKEN/],
  ])('%s: exit 3 with the fix', async (_name, env, knobs, message) => {
    Object.assign(t.emulator.knobs, knobs);
    const r = await cli(['doctor'], { env: { ...t.emulator.env, ...env }, cwd: t.dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(message);
    expect(r.stdout).not.toContain('nope');
  });

  // A setting missing or malformed is a configuration problem: exit 2, as for every other command (README's exit codes).
  test.each([
    ['a missing org id', { ZOHO_ORG_ID: '' }, /✘ ZOHO_ORG_ID is not set; this token reaches: 2389290/],
    ['a bad data centre name', { ZOHO_DC: 'mars', ZOHO_DESK_URL: '', ZOHO_ACCOUNTS_URL: '' }, /✘ configuration: ZOHO_DC: unknown data centre "mars"/],
    ['no credentials', { ZOHO_CLIENT_ID: '', ZOHO_CLIENT_SECRET: '', ZOHO_REFRESH_TOKEN: '' }, /✘ configuration: ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN: missing/],
  ])('%s: exit 2 with the fix', async (_name, env, message) => {
    const r = await cli(['doctor'], { env: { ...t.emulator.env, ...env }, cwd: t.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(message);
  });
});
