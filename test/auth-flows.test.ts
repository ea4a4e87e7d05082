// Zoho's auth answers the spec does not pin (ZOHO-NOTES.md): OAUTH_ORG_MISMATCH
// as 401 or 403, a missing scope as SCOPE_MISMATCH or INVALID_OAUTH (401/403),
// and the refresh throttle mid-run. Every core flow must end right under each:
// exit 3, nothing changed that the results do not say, the rest deferred, and
// (after the throttle) --resume finishing the job.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorKnobs } from '../src/emulator/knobs.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { cli, readResults, tempDir, writePairs } from './helpers/cli.js';
import { A, C, u } from './helpers/seed.js';

const FAST = ['--retry-base-ms', '5'];
const READ_ONLY = ['Desk.contacts.READ', 'Desk.settings.READ', 'Desk.search.READ', 'Desk.basic.READ'];

/** A flow: its command line (in `dir`), its results file, and the pairs it changes when it runs to the end. */
interface Flow {
  argv: (dir: string) => Promise<string[]>;
  results: string;
  /** `gone`: pairs it removes; `back`: pairs it adds (restore, after an earlier removal). */
  change: { gone: string[]; back: string[] };
  /** Runs before the flow, with working credentials (restore needs something removed). */
  setup?: (emulator: RunningEmulator, dir: string) => Promise<void>;
}

const pair = (user: string, label: string) => `${user}:${label}`;
const REMOVED_FIRST = Array.from({ length: 12 }, (_, i) => [u(i), A] as [string, string]);

const flows: Record<string, Flow> = {
  'remove --verify': {
    argv: async (dir) => ['remove', await writePairs(dir, [[u(0), C], [u(1), C], [u(50), A], [u(51), A]]), '--verify', '--batch-size', '1', '--concurrency', '1'],
    results: 'pairs.results.csv',
    change: { gone: [pair(u(0), C), pair(u(1), C), pair(u(50), A), pair(u(51), A)], back: [] },
  },
  'retire-label': {
    argv: async () => ['retire-label', '--label', C, '--yes', '--batch-size', '1', '--concurrency', '1'],
    results: `retire-${C}.results.csv`,
    change: { gone: Array.from({ length: 10 }, (_, i) => pair(u(i), C)), back: [] },
  },
  reconcile: {
    argv: async (dir) => {
      await writeFile(join(dir, 'keep.csv'), ['user_id', ...Array.from({ length: 72 }, (_, i) => u(i))].join('\n') + '\n');
      return ['reconcile', '--label', A, '--keep', join(dir, 'keep.csv'), '--yes', '--batch-size', '1', '--concurrency', '1'];
    },
    results: `reconcile-${A}.results.csv`,
    change: { gone: Array.from({ length: 8 }, (_, i) => pair(u(72 + i), A)), back: [] },
  },
  restore: {
    setup: async (emulator, dir) => {
      const r = await cli(['remove', await writePairs(dir, REMOVED_FIRST, 'first.csv'), ...FAST], { env: emulator.env, cwd: dir });
      expect(r.code).toBe(0);
    },
    argv: async (dir) => ['restore', join(dir, 'first.results.csv'), '--batch-size', '1', '--concurrency', '1'],
    results: 'first.restore.csv',
    change: { gone: [], back: REMOVED_FIRST.map(([user, label]) => pair(user, label)) },
  },
};

type Refusal = { name: string; knobs: Partial<EmulatorKnobs>; env?: Record<string, string>; says: string };
const refusals: Refusal[] = [
  { name: 'OAUTH_ORG_MISMATCH as 401', knobs: { orgMismatchStatus: 401 }, env: { ZOHO_ORG_ID: '99999' }, says: 'Check ZOHO_ORG_ID' },
  { name: 'OAUTH_ORG_MISMATCH as 403', knobs: { orgMismatchStatus: 403 }, env: { ZOHO_ORG_ID: '99999' }, says: 'Check ZOHO_ORG_ID' },
  { name: 'no write scope, SCOPE_MISMATCH 401', knobs: { scopeError: 'SCOPE_MISMATCH-401', scopes: READ_ONLY }, says: 'Desk.contacts.UPDATE' },
  { name: 'no write scope, INVALID_OAUTH 401', knobs: { scopeError: 'INVALID_OAUTH-401', scopes: READ_ONLY }, says: 'Desk.contacts.UPDATE' },
  { name: 'no write scope, INVALID_OAUTH 403', knobs: { scopeError: 'INVALID_OAUTH-403', scopes: READ_ONLY }, says: 'Desk.contacts.UPDATE' },
];

let emulator: RunningEmulator;
let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => emulator.close());

/** Pairs gone and added since `before`. */
function changed(before: string[]): { gone: string[]; back: string[] } {
  const after = new Set(emulator.state.pairs());
  return { gone: before.filter((p) => !after.has(p)).sort(), back: [...after].filter((p) => !before.includes(p)).sort() };
}

describe.each(Object.entries(flows))('%s', (_name, flow) => {
  test.each(refusals.map((r) => [r.name, r] as const))('%s: exit 3 saying what to fix, nothing changed', async (_r, refusal) => {
    emulator = await startEmulator();
    await flow.setup?.(emulator, dir);
    Object.assign(emulator.knobs, refusal.knobs);
    const before = emulator.state.pairs();
    const from = emulator.calls.length;
    const r = await cli([...(await flow.argv(dir)), ...FAST], { env: { ...emulator.env, ...refusal.env }, cwd: dir });
    expect([r.code, r.stderr]).toEqual([3, expect.stringContaining(refusal.says)]);
    expect(changed(before)).toEqual({ gone: [], back: [] });
    expect(emulator.calls.slice(from).filter((c) => c.method === 'POST' && typeof c.status === 'number' && c.status < 300)).toEqual([]);
  });

  test("the refresh throttle mid-run: exit 3, the results say exactly what changed, and --resume (after the block) finishes", async () => {
    emulator = await startEmulator();
    await flow.setup?.(emulator, dir);
    // the token dies every 4 calls, and the token endpoint blocks after one refresh (lifted by 0.2 s of silence)
    Object.assign(emulator.knobs, { tokenLifetimeCalls: 4, refreshThrottleAfter: 1, refreshThrottleSeconds: 0.2 });
    const before = emulator.state.pairs();
    const argv = [...(await flow.argv(dir)), ...FAST];
    const r = await cli(argv, { env: emulator.env, cwd: dir });
    expect([r.code, r.stderr]).toEqual([3, expect.stringContaining('Wait 15–30 minutes')]);
    const results = await readResults(join(dir, flow.results));
    const done = results.filter((x) => x.status === 'removed' || x.status === 'added').map((x) => pair(x.user_id, x.label_id));
    expect(results.every((x) => ['removed', 'added', 'deferred', 'failed', 'not_member'].includes(x.status))).toBe(true);
    const now = changed(before);
    expect([...now.gone, ...now.back].sort()).toEqual(done.sort());
    // the block lifts; the run goes on from its journal
    Object.assign(emulator.knobs, { tokenLifetimeCalls: Number.POSITIVE_INFINITY, refreshThrottleAfter: Number.POSITIVE_INFINITY });
    await new Promise((r) => setTimeout(r, 300));
    const again = await cli([...argv, '--resume'], { env: emulator.env, cwd: dir });
    expect([again.code, again.code === 0 ? '' : again.stderr]).toEqual([0, '']);
    expect(changed(before)).toEqual({ gone: [...flow.change.gone].sort(), back: [...flow.change.back].sort() });
  });
});
