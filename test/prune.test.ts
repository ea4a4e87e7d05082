// zdlabels prune: members who match the rules lose the label, nobody else;
// the guarantees of retire-label (snapshot first, results, journal, resume,
// restore, dry run, prompt, verify) come with it.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { defaultSeed, type Seed } from '../src/emulator/seed.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { cli, readResults, tempDir } from './helpers/cli.js';
import { checkParameters } from './helpers/oas.js';
import { A, B, C, u } from './helpers/seed.js';

// Times relative to now: the tests mean the same on any day.
const DAY = 86_400_000;
const ago = (days: number): string => new Date(Date.now() - days * DAY).toISOString();
const RECENT = ago(10);
/** 180 days ago, as a date: what --inactive-for 180d means too (to within the day). */
const CUTOFF = ago(180).slice(0, 10);

/**
 * The default seed with everyone active lately, except: u0 DISABLED (last seen
 * 300 days ago), u1 DELETED, u2 DISABLED (recent), u3 last seen 500 days ago, u4 never.
 * `extraActive` adds that many active users who hold no label.
 */
function seed(extraActive = 0): Seed {
  const s = defaultSeed();
  s.users = s.users.map((x) => ({ ...x, lastAccessedTime: RECENT }));
  Object.assign(s.users[0]!, { status: 'DISABLED', lastAccessedTime: ago(300) });
  Object.assign(s.users[1]!, { status: 'DELETED' });
  Object.assign(s.users[2]!, { status: 'DISABLED' });
  Object.assign(s.users[3]!, { lastAccessedTime: ago(500) });
  Object.assign(s.users[4]!, { lastAccessedTime: null });
  for (let i = 0; i < extraActive; i += 1) s.users.push({ id: String(1060099000000500001n + BigInt(i)), name: `Extra ${i}`, email: `extra${i}@zylker.com`, lastAccessedTime: RECENT });
  return s;
}

const members = (e: RunningEmulator, label: string) => [...(e.state.members.get(label)?.keys() ?? [])].sort();
const writes = (e: RunningEmulator) => e.calls.filter((c) => ['removeUsersFromLabel', 'removeLabelsFromUser', 'addUsersToLabel'].includes(c.endpoint));
const reads = (e: RunningEmulator, endpoint: string) => e.calls.filter((c) => c.endpoint === endpoint);
const csvRows = async (file: string) => parse(await readFile(file, 'utf8'), { columns: true }) as Record<string, string>[];

let emulator: RunningEmulator;
let dir: string;
afterEach(() => emulator.close());
const start = async (s: Seed = seed()) => {
  emulator = await startEmulator({ seed: s });
  dir = await tempDir();
};

describe('prune by status', () => {
  test('removes exactly the members with that status, never one on the keep list; snapshot and plan first; restore puts them back', async () => {
    await start();
    await writeFile(join(dir, 'keep.csv'), `user_id\n${u(2)}\n`);
    const before = { A: members(emulator, A), B: members(emulator, B), C: members(emulator, C) };
    const r = await cli(['prune', '--label', 'mvp', '--status', 'disabled,DELETED', '--keep', 'keep.csv', '--yes', '--verify'], { env: emulator.env, cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, expect.stringContaining(`prune "MVP" (${C}): 10 members, 2 matched the rules (status DISABLED or DELETED), 1 kept by the keep file`)]);
    expect(members(emulator, C)).toEqual(before.C.filter((x) => x !== u(0) && x !== u(1)));
    expect([members(emulator, A), members(emulator, B)]).toEqual([before.A, before.B]);

    const snapshot = await csvRows(join(dir, `prune-${C}.snapshot.csv`));
    expect(snapshot.map((x) => x.user_id).sort()).toEqual(before.C);
    expect((await csvRows(join(dir, `prune-${C}.plan.csv`))).map((x) => x.user_id)).toEqual([u(0), u(1)]);
    const results = await readResults(join(dir, `prune-${C}.results.csv`));
    expect(results.map((x) => [x.user_id, x.label_id, x.status, (x as Record<string, string>).verified, (x as Record<string, string>).email])).toEqual([
      [u(0), C, 'removed', 'yes', 'user1@zylker.com'],
      [u(1), C, 'removed', 'yes', 'user2@zylker.com'],
    ]);

    expect((await cli(['restore', `prune-${C}.results.csv`], { env: emulator.env, cwd: dir })).code).toBe(0);
    expect(members(emulator, C)).toEqual(before.C);
  });

  test('--all-labels: every label of the help center, each member judged in each label', async () => {
    await start();
    const r = await cli(['prune', '--all-labels', '--help-center-id', '24073000002886005', '--status', 'DISABLED', '--yes', '--json'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(0);
    // u0 and u2 are DISABLED: they hold Prime Customer and MVP (Beta Tester starts at u40).
    expect((JSON.parse(r.stdout) as { counts: { removed: number } }).counts.removed).toBe(4);
    for (const label of [A, C]) expect([emulator.state.has(label, u(0)), emulator.state.has(label, u(2))]).toEqual([false, false]);
    expect(members(emulator, B)).toHaveLength(80);
    expect((await readResults(join(dir, 'prune.results.csv'))).map((x) => `${x.label_id}:${x.user_id}`).sort()).toEqual([`${A}:${u(0)}`, `${A}:${u(2)}`, `${C}:${u(0)}`, `${C}:${u(2)}`].sort());
  });
});

describe('prune by inactivity', () => {
  test('a large label: the users list filtered to recent activity spares reading the active members; each one removed is read first; no activity at all counts as inactive', async () => {
    await start();
    const r = await cli(['prune', '--label', A, '--inactive-for', '180d', '--yes'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(0);
    expect(members(emulator, A)).toEqual(Array.from({ length: 80 }, (_, i) => u(i)).filter((x) => x !== u(0) && x !== u(3) && x !== u(4)).sort());
    // 117 users active since the cutoff (ALL statuses, the help center): 3 pages.
    const cutoff = reads(emulator, 'listUsers')[0]?.query.lastActivityStartTime ?? '';
    expect(Math.abs(Date.parse(cutoff) - Date.parse(ago(180)))).toBeLessThan(60_000);
    expect(reads(emulator, 'listUsers').map((c) => [c.query.status, c.query.helpCenterId, c.query.lastActivityStartTime, c.query.from])).toEqual([
      ['ALL', '24073000002886005', cutoff, '1'],
      ['ALL', '24073000002886005', cutoff, '51'],
      ['ALL', '24073000002886005', cutoff, '101'],
    ]);
    // Absence from the list proves nothing (its filter is unverified against real Zoho):
    // only the three members it did not show are read, and their own records decide.
    expect(reads(emulator, 'getUser').map((c) => c.path).sort()).toEqual([u(0), u(3), u(4)].map((x) => `/api/v1/users/${x}`));
    expect(r.stderr).toContain('showed 77 active; then 3 user(s) read one by one');
    // The filter as sent is what Zoho's spec of getUsers allows (the instant's format included).
    for (const c of reads(emulator, 'listUsers')) expect(checkParameters('getUsers', { path: {}, query: c.query })).toEqual([]);
  });

  test('with status: only the few members the status picks have their activity read, one by one', async () => {
    await start();
    const r = await cli(['prune', '--label', C, '--status', 'DISABLED', '--inactive-since', CUTOFF, '--yes'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(0);
    expect(emulator.state.has(C, u(0))).toBe(false); // disabled and inactive
    expect(emulator.state.has(C, u(2))).toBe(true); // disabled but active lately
    expect(members(emulator, C)).toHaveLength(9);
    expect(reads(emulator, 'getUser').map((c) => c.path).sort()).toEqual([`/api/v1/users/${u(0)}`, `/api/v1/users/${u(2)}`]);
    expect(reads(emulator, 'listUsers')).toHaveLength(0);
  });

  test('a long users list is left once it would cost more than the members read one by one; the rest are read alone', async () => {
    await start(seed(200));
    const r = await cli(['prune', '--label', C, '--inactive-since', CUTOFF, '--yes'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(0);
    expect(members(emulator, C)).toEqual(Array.from({ length: 10 }, (_, i) => u(i)).filter((x) => x !== u(0) && x !== u(3) && x !== u(4)).sort());
    // Budget: 10 members, 10 credits. Three pages (9 credits) show the active members; u0, u3 and u4 are read alone.
    expect(reads(emulator, 'listUsers').map((c) => c.query.from)).toEqual(['1', '51', '101']);
    expect(reads(emulator, 'getUser').map((c) => c.path).sort()).toEqual([u(0), u(3), u(4)].map((x) => `/api/v1/users/${x}`));
    expect(r.stderr).toContain('left when it would cost more than reading the users) showed 7 active; then 3 user(s) read one by one');
  });
});

describe('the guard, the prompt, the dry run', () => {
  test('more than half of a label: exit 5 before any write and before any file; --max-removals says otherwise', async () => {
    await start();
    const r = await cli(['prune', '--label', C, '--status', 'ACTIVE', '--yes'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`prune would remove more than half the members of 1 label(s): "MVP" (${C}) 7 of 10; nothing was sent`);
    expect(writes(emulator)).toHaveLength(0);
    await expect(readFile(join(dir, `prune-${C}.plan.csv`))).rejects.toThrow();
    expect((await cli(['prune', '--label', C, '--status', 'ACTIVE', '--yes', '--max-removals', '6'], { env: emulator.env, cwd: dir })).code).toBe(5);
    expect(writes(emulator)).toHaveLength(0);
    expect((await cli(['prune', '--label', C, '--status', 'ACTIVE', '--yes', '--max-removals', '7'], { env: emulator.env, cwd: dir })).code).toBe(0);
    expect(members(emulator, C)).toEqual([u(0), u(1), u(2)]);
  });

  test('without --yes and without a terminal it refuses (exit 5); on a terminal it asks', async () => {
    await start();
    const r = await cli(['prune', '--label', C, '--status', 'DELETED'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(5);
    expect(writes(emulator)).toHaveLength(0);
    const yes = await cli(['prune', '--label', C, '--status', 'DELETED', '--out', 'asked.csv'], { env: emulator.env, cwd: dir, ttyAnswer: 'y' });
    expect(yes.stderr).toContain('Remove 1 memberships (status DELETED) from 1 label(s) in 1 calls? [y/N]');
    expect(yes.code).toBe(0);
    expect(emulator.state.has(C, u(1))).toBe(false);
  });

  test('the members of several labels are read --concurrency at a time', async () => {
    await start();
    emulator.knobs.latencyMs = 40;
    expect((await cli(['prune', '--all-labels', '--status', 'DELETED', '--dry-run', '--concurrency', '3'], { env: emulator.env, cwd: dir })).code).toBe(0);
    const firstPages = emulator.calls.filter((c) => c.endpoint === 'listLabelUsers' && c.query.from === '1');
    expect(firstPages).toHaveLength(3);
    expect(Math.max(...firstPages.map((c) => c.startedAt)) < Math.min(...firstPages.map((c) => c.endedAt))).toBe(true);
  });

  test('--dry-run reads, plans and writes nothing', async () => {
    await start();
    const r = await cli(['prune', '--label', C, '--status', 'DISABLED,DELETED', '--dry-run', '--json'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { counts: { planned: number }; credits: { reads: number } };
    expect(summary.counts.planned).toBe(3);
    expect(summary.credits.reads).toBeGreaterThanOrEqual(emulator.credits.used);
    expect(writes(emulator)).toHaveLength(0);
  });

  test('stopped by spent credits, --resume finishes from the plan', async () => {
    await start();
    emulator.knobs.dailyCredits = 1 + 3 + 3 + 9 + 3 + 1; // the label, two pages of members, three of the users list, the three not shown read alone, one removal
    const args = ['prune', '--label', A, '--inactive-since', CUTOFF, '--yes', '--batch-size', '1', '--concurrency', '1', '--no-guard'];
    expect((await cli(args, { env: emulator.env, cwd: dir })).code).toBe(6);
    expect(members(emulator, A)).toHaveLength(79);
    emulator.knobs.dailyCredits = Number.POSITIVE_INFINITY;
    const before = emulator.calls.length;
    expect((await cli([...args, '--resume'], { env: emulator.env, cwd: dir })).code).toBe(0);
    expect(emulator.calls.slice(before).filter((c) => c.endpoint === 'listUsers' || c.endpoint === 'listLabelUsers')).toHaveLength(0);
    expect(members(emulator, A)).toHaveLength(77);
    expect((await readResults(join(dir, `prune-${A}.results.csv`))).map((x) => x.status)).toEqual(['removed', 'removed', 'removed']);
  });
});

describe('bad usage: exit 2, nothing sent', () => {
  test.each([
    [['--label', C], 'Give at least one rule'],
    [['--label', C, '--status', 'GONE'], 'Expected --status to list ACTIVE, DISABLED, DELETED'],
    [['--label', C, '--inactive-since', CUTOFF, '--inactive-for', '30d'], 'not both'],
    [['--label', C, '--inactive-for', '6 months'], 'such as 180d'],
    [['--label', C, '--inactive-since', '2999-01-01'], 'in the future'],
    [['--status', 'DISABLED'], 'Give --label'],
    [['--label', 'Beta Testers', '--status', 'DISABLED'], '--label "Beta Testers": label "Beta Testers" does not exist; the closest names: "Beta Tester"'],
  ])('%j', async (args, message) => {
    await start();
    const r = await cli(['prune', ...args, '--yes'], { env: emulator.env, cwd: dir });
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining(message)]);
    expect(writes(emulator)).toHaveLength(0);
  });
});
