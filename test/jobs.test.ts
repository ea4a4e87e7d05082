import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { expandTemplate } from '../src/jobs/job.js';
import { loadJob } from '../src/jobs/loadJob.js';
import { loadSeed } from '../src/emulator/seed.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { cli, readResults, tempDir } from './helpers/cli.js';
import { until } from './helpers/emulator.js';

const repo = process.cwd();
let emulator: RunningEmulator;
let root: string;
let jobs: string;

beforeEach(async () => {
  emulator = await startEmulator({ seed: await loadSeed(join(repo, 'fixtures/demo/seed.json')) });
  root = await tempDir();
  for (const d of ['jobs', 'fixtures', 'schema']) await cp(join(repo, d), join(root, d), { recursive: true });
  jobs = join(root, 'jobs');
});
afterEach(() => emulator.close());

/** The emulator's credentials, under the names the nightly job reads them from. */
const hrEnv = () => {
  const { ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN, ...rest } = emulator.env;
  return { ...rest, HR_SYNC_ZOHO_CLIENT_ID: ZOHO_CLIENT_ID!, HR_SYNC_ZOHO_CLIENT_SECRET: ZOHO_CLIENT_SECRET!, HR_SYNC_ZOHO_REFRESH_TOKEN: ZOHO_REFRESH_TOKEN! };
};

describe('job files', () => {
  test('zdlabels schema prints the shipped schema; every job in jobs/ points at it and is valid', async () => {
    const r = await cli(['schema'], { cwd: root });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(await readFile(join(repo, 'schema/job.schema.json'), 'utf8')));
    const files = (await readdir(join(repo, 'jobs'))).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['demo.json', 'nightly-remove.json', 'prune-disabled.json', 'reconcile-mvp.json', 'retire-beta-testers.json']);
    for (const f of files) {
      const job = await loadJob(join(repo, 'jobs', f));
      expect([f, (job as { $schema?: string }).$schema]).toEqual([f, '../schema/job.schema.json']);
    }
  });

  test('an invalid job exits 2 and lists every problem with its JSON path and what is allowed; nothing is sent', async () => {
    await writeFile(
      join(root, 'bad.json'),
      JSON.stringify({ name: 'nightly cleanup', action: 'remove', keep: 'k.csv', concurrency: 0, by: 'both', label: 24073000002958023, out: '{job}-{week}.csv', env: { ZOHO_ORG: 'X' }, extra: 1 }),
    );
    const r = await cli(['run', 'bad.json'], { env: emulator.env, cwd: root });
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').map((l) => l.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        '/: missing `input` (needed by action remove)',
        '/keep: not used by action remove; remove it',
        '/label: not used by action remove; remove it',
        '/name: "nightly cleanup" does not match ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
        '/concurrency: must be ≥ 1, got 0',
        '/by: "both" is not allowed; allowed: "label", "user", "auto"',
        '/label: expected a string, got a number (write IDs as strings: 17-19 digit numbers lose digits in JSON)',
        '/out: "{job}-{week}.csv" does not match ^([^{}]|\\{(job|date|time)\\})*$ (placeholders: {job}, {date}, {time})',
        expect.stringMatching(/^\/env: unknown key `ZOHO_ORG`; allowed: ZOHO_DC, .*ZOHO_REFRESH_TOKEN/),
        expect.stringMatching(/^\/: unknown key `extra`; allowed: \$schema, name, /),
      ]),
    );
    expect(r.stderr).toContain('invalid job (10 problems)');
    expect(emulator.calls).toHaveLength(0);
  });

  test('a job holding a secret value itself is refused, without echoing it', async () => {
    await writeFile(join(root, 'secret.json'), JSON.stringify({ name: 's', action: 'remove', input: 'x.csv', clientSecret: 'abc123', env: { ZOHO_REFRESH_TOKEN: '1000.0123456789abcdef0123456789abcdef.fedcba' } }));
    const r = await cli(['run', 'secret.json'], { env: emulator.env, cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/clientSecret: a job file must not hold secrets');
    expect(r.stderr).toContain('/env/ZOHO_REFRESH_TOKEN: this looks like a Zoho token');
    expect(r.stderr).not.toContain('abc123');
    expect(r.stderr).not.toContain('0123456789abcdef');
  });

  test('a job file saved with a UTF-8 byte order mark (Windows Notepad) is read', async () => {
    await writeFile(join(jobs, 'bom.json'), `\uFEFF${JSON.stringify({ name: 'bom', action: 'remove', input: '../fixtures/demo/remove.csv', dryRun: true })}`);
    const r = await cli(['run', join(jobs, 'bom.json')], { env: emulator.env, cwd: root });
    expect([r.code, r.stderr]).toEqual([1, expect.stringContaining('(dry run: nothing was sent)')]); // the demo input's bad rows: 1
  });

  describe('a secret pasted under env, where a variable name belongs, is refused and never shown', () => {
    const hex = '3b07a1c9e5f20d4b8a6c1e3f5a7b9c0d2e4f6a8b1c';
    test.each([
      ['42 hex digits, starting with a digit', hex],
      ['42 hex digits, starting with a letter', `b${hex.slice(1)}`],
      ['in capitals', `B${hex.slice(1).toUpperCase()}`],
      ['a Zoho client id', '1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123'],
      ['with a dash', 'hunter2-hunter2-hunter2'],
    ])('%s', async (_name, secret) => {
      await writeFile(join(jobs, 'leak.json'), JSON.stringify({ name: 'leak', action: 'remove', input: '../fixtures/demo/remove.csv', env: { ZOHO_CLIENT_SECRET: secret } }));
      for (const format of ['text', 'json']) {
        const r = await cli(['run', join(jobs, 'leak.json'), '--log-format', format], { env: emulator.env, cwd: root });
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('/env/ZOHO_CLIENT_SECRET: ');
        for (const piece of [secret, secret.slice(0, 12), secret.slice(-12)]) expect(r.stdout + r.stderr).not.toContain(piece);
      }
      expect(emulator.calls).toHaveLength(0);
      expect(emulator.tokenRequests).toHaveLength(0);
    });

    test('not a mapping, or not a string: not shown either', async () => {
      for (const env of ['3b07a1c9e5f20d4b8a6c1e3f5a7b9c0d2e4f6a8b1c', { ZOHO_CLIENT_SECRET: 30701234567890123 }]) {
        await writeFile(join(jobs, 'leak.json'), JSON.stringify({ name: 'leak', action: 'remove', input: 'x.csv', env }));
        const r = await cli(['run', join(jobs, 'leak.json')], { env: emulator.env, cwd: root });
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/\/env(\/ZOHO_CLIENT_SECRET)?: /);
        expect(r.stderr).not.toMatch(/3b07a1c9|3070123/);
      }
    });

    test('pasted without quotes, so the file is not JSON: the error says where, not what', async () => {
      const secret = 'b07a1c9e5f20d4b8a6c1e3f5a7b9c0d2e4f6a8b1c';
      for (const value of [secret, `3${secret}`]) {
        await writeFile(join(jobs, 'leak.json'), `{\n  "name": "leak",\n  "action": "remove",\n  "env": {\n    "ZOHO_CLIENT_SECRET": ${value}\n  }\n}\n`);
        const r = await cli(['run', join(jobs, 'leak.json')], { env: emulator.env, cwd: root });
        expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/leak\.json: not valid JSON/)]);
        expect(r.stderr).not.toContain(secret.slice(0, 8));
      }
    });

    test('a variable name is fine, and the names in messages are names', async () => {
      await writeFile(join(jobs, 'named.json'), JSON.stringify({ name: 'named', action: 'remove', input: '../fixtures/demo/remove.csv', env: { ZOHO_CLIENT_SECRET: 'HR_SYNC_ZOHO_CLIENT_SECRET' } }));
      const r = await cli(['run', join(jobs, 'named.json')], { env: emulator.env, cwd: root });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('HR_SYNC_ZOHO_CLIENT_SECRET: missing: a refresh needs ZOHO_CLIENT_ID, HR_SYNC_ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN together');
    });
  });

  test('path templates: {job}, {date}, {time} in UTC', () => {
    const at = new Date('2026-11-28T03:04:05.678Z');
    expect(expandTemplate('runs/{job}-{date}-{time}.csv', 'nightly', at)).toBe('runs/nightly-2026-11-28-030405.csv');
  });
});

describe('the example jobs run against the emulator', () => {
  test('nightly-remove: relative paths from the job folder, env names remapped, templated out, manifest', async () => {
    const r = await cli(['run', join(jobs, 'nightly-remove.json')], { env: hrEnv(), cwd: root });
    expect([r.code, r.stderr]).toEqual([0, expect.stringContaining('3 rows → 3 removed')]);
    expect(emulator.state.has('24073000002958023', '1060099000000334011')).toBe(false);
    const runs = await readdir(join(jobs, 'runs'));
    const results = runs.find((f) => f.endsWith('.results.csv'))!;
    expect(results).toMatch(/^nightly-leavers-\d{4}-\d\d-\d\d-\d{6}\.results\.csv$/);
    const manifest = JSON.parse(await readFile(join(jobs, 'runs', results.replace(/\.results\.csv$/, '.manifest.json')), 'utf8')) as Record<string, unknown>;
    const sha = createHash('sha256').update(await readFile(join(jobs, 'inbox/leavers.csv'))).digest('hex');
    const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { version: string };
    expect(manifest).toMatchObject({
      job: 'nightly-leavers',
      command: 'remove',
      toolVersion: pkg.version,
      input: join(jobs, 'inbox/leavers.csv'),
      inputSha256: sha,
      options: expect.objectContaining({ by: 'auto', concurrency: 5, maxRemovals: 500, verify: true, dryRun: false }),
      rows: 3,
      counts: expect.objectContaining({ removed: 3, failed: 0 }),
      calls: 2,
      retries: 0,
      exitCode: 0,
    });
    expect(Date.parse(manifest.endedAt as string)).toBeGreaterThanOrEqual(Date.parse(manifest.startedAt as string));
    expect(JSON.stringify(manifest)).not.toContain(emulator.credentials.clientSecret);
  });

  test('retire-beta-testers: snapshot and results in runs/, the label kept', async () => {
    const r = await cli(['run', join(jobs, 'retire-beta-testers.json')], { env: emulator.env, cwd: root });
    expect(r.code).toBe(0);
    expect(emulator.state.members.get('24073000002958023')?.size).toBe(0);
    expect(emulator.state.labels.has('24073000002958023')).toBe(true);
    const runs = await readdir(join(jobs, 'runs'));
    expect(runs.filter((f) => /^retire-beta-testers-\d{4}-\d\d-\d\d\.(snapshot|results)\.csv$/.test(f))).toHaveLength(2);
  });

  test('reconcile-mvp: --check exits 4 on drift (CI on a pull request), then applies', async () => {
    const check = await cli(['run', join(jobs, 'reconcile-mvp.json'), '--check'], { env: emulator.env, cwd: root });
    expect(check.code).toBe(4);
    expect(check.stderr).toContain('drift: 2 member(s)');
    const apply = await cli(['run', join(jobs, 'reconcile-mvp.json')], { env: emulator.env, cwd: root });
    expect(apply.code).toBe(0);
    expect((await cli(['run', join(jobs, 'reconcile-mvp.json'), '--check'], { env: emulator.env, cwd: root })).code).toBe(0);
  });

  test('demo: the job the README runs', async () => {
    const r = await cli(['run', join(jobs, 'demo.json'), '--out', 'demo-out.csv'], { env: emulator.env, cwd: root });
    expect(r.code).toBe(1); // the demo input holds a duplicate, a mangled ID and an unknown user on purpose
    expect((await readResults(join(root, 'demo-out.csv'))).map((x) => x.status).filter((s) => s !== 'removed')).toEqual(['duplicate', 'invalid', 'not_found']);
  });

  test('overrides on the command line win over the job; their paths are relative to the caller', async () => {
    const r = await cli(['run', join(jobs, 'nightly-remove.json'), '--dry-run', '--concurrency', '2', '--out', 'mine.csv', '--json'], { env: hrEnv(), cwd: root });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { dryRun: boolean; out: string; counts: { planned: number } };
    expect([s.dryRun, s.out, s.counts.planned]).toEqual([true, join(root, 'mine.csv'), 3]);
    expect(emulator.calls).toHaveLength(0);
    const manifest = JSON.parse(await readFile(join(root, 'mine.manifest.json'), 'utf8')) as { options: { concurrency: number } };
    expect(manifest.options.concurrency).toBe(2);
  });

  test('an override that makes no sense for the job is refused like a bad key in the job (exit 2)', async () => {
    const r = await cli(['run', join(jobs, 'retire-beta-testers.json'), '--keep', 'k.csv', '--concurrency', '0'], { env: emulator.env, cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('retire-beta-testers.json with the command-line options: invalid job (2 problems)');
    expect(r.stderr).toContain('/keep: not used by action retire-label');
    expect(r.stderr).toContain('/concurrency: must be ≥ 1, got 0');
    expect(emulator.calls).toHaveLength(0);
  });
});

describe("a job's credit limits stop the run as credits do (exit 6, the rest deferred, the job's resume command)", () => {
  const beta = '24073000002958023';
  /** Ten members of Beta Tester in the demo seed, two a call, no guard: one call a batch. */
  const ten = Array.from({ length: 10 }, (_, i) => String(1060099000000334006n + BigInt(i)));
  const writeJob = async (name: string, limits: Record<string, number>): Promise<string> => {
    await writeFile(join(jobs, 'inbox/ten.csv'), ['user_id,label_id', ...ten.map((x) => `${x},${beta}`)].join('\n') + '\n');
    const file = join(jobs, `${name}.json`);
    await writeFile(file, JSON.stringify({ name, action: 'remove', input: 'inbox/ten.csv', out: `runs/${name}.results.csv`, batchSize: 2, concurrency: 1, guard: false, ...limits }));
    return file;
  };
  const statuses = async (name: string) => (await readResults(join(jobs, `runs/${name}.results.csv`))).map((x) => x.status);

  test('maxCalls: 3 calls made, 6 rows removed, 4 deferred saying why; the resume command finishes', async () => {
    const job = await writeJob('capped', { maxCalls: 3 });
    const r = await cli(['run', job], { env: emulator.env, cwd: root });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain("stopped after 3 calls: --max-calls 3 is this run's cap");
    expect(r.stderr).toContain(`Resume with: zdlabels run ${job} --resume --out ${join(jobs, 'runs/capped.results.csv')}`);
    expect(emulator.calls).toHaveLength(3);
    expect(await statuses('capped')).toEqual([...Array(6).fill('removed'), ...Array(4).fill('deferred')]);
    expect((await readResults(join(jobs, 'runs/capped.results.csv')))[9]!.message).toBe("not sent: stopped after 3 calls: --max-calls 3 is this run's cap; run again with --resume");
    expect(ten.filter((x) => emulator.state.has(beta, x))).toEqual(ten.slice(6));
    const manifest = JSON.parse(await readFile(join(jobs, 'runs/capped.manifest.json'), 'utf8')) as { options: { maxCalls: number }; stoppedBy: string; exitCode: number };
    expect([manifest.options.maxCalls, manifest.stoppedBy, manifest.exitCode]).toEqual([3, 'credits', 6]);

    const resumed = await cli(['run', job, '--resume', '--out', join(jobs, 'runs/capped.results.csv')], { env: emulator.env, cwd: root });
    expect(resumed.code).toBe(0);
    expect(await statuses('capped')).toEqual(Array(10).fill('removed'));
    expect(ten.filter((x) => emulator.state.has(beta, x))).toEqual([]);
  });

  test("reserveCredits: stops before the org's credits fall below it, which the org keeps", async () => {
    Object.assign(emulator.knobs, { dailyCredits: 1000, creditsUsed: 992 }); // 8 left
    const job = await writeJob('reserved', { reserveCredits: 5 });
    const r = await cli(['run', job], { env: emulator.env, cwd: root });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain("stopped before the organization's remaining API credits (5) would fall below --reserve-credits 5");
    expect(r.stderr).toContain(`Resume with: zdlabels run ${job} --resume`);
    expect(emulator.credits.remaining).toBe(5);
    expect(emulator.calls).toHaveLength(3);
    expect(await statuses('reserved')).toEqual([...Array(6).fill('removed'), ...Array(4).fill('deferred')]);
    expect(ten.filter((x) => emulator.state.has(beta, x))).toEqual(ten.slice(6));
  });
});

describe('running unattended', () => {
  test('--log-format json: every stderr line is one JSON event, from run start to run end', async () => {
    Object.assign(emulator.knobs, { errorRate: 0.3, faultSeed: 5, concurrencyLimit: 1, tokenLifetimeCalls: 3, latencyMs: 5 });
    const r = await cli(['run', join(jobs, 'retire-beta-testers.json'), '--log-format', 'json', '--batch-size', '3', '--concurrency', '4', '--retries', '10', '--retry-base-ms', '5'], { env: emulator.env, cwd: root });
    expect([r.code, r.code === 0 ? '' : r.stderr]).toEqual([0, '']);
    const events = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as { event: string; ts: string });
    const names = new Set(events.map((e) => e.event));
    for (const n of ['run_start', 'batch_done', 'retry', 'throttle', 'token_refresh', 'run_end']) expect([n, names.has(n)]).toEqual([n, true]);
    expect(events[0]!.event).not.toBe('run_end');
    expect(events.filter((e) => e.event === 'run_start')).toHaveLength(1);
    expect(events.find((e) => e.event === 'run_end')).toMatchObject({ exitCode: 0, counts: expect.objectContaining({ removed: 25 }) });
    expect(events.every((e) => !Number.isNaN(Date.parse(e.ts)))).toBe(true);
  });

  test('errors are JSON events too in json mode', async () => {
    const r = await cli(['remove', 'missing.csv', '--log-format', 'json'], { env: emulator.env, cwd: root });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr.trim())).toMatchObject({ event: 'error', code: 'INPUT', exitCode: 2 });
  });

  test('a lock left by a run whose process is gone is taken over with a warning', async () => {
    const dead = spawn(process.execPath, ['-e', '0']);
    await once(dead, 'exit');
    const { hostname } = await import('node:os');
    await writeFile(join(jobs, 'reconcile-mvp.json.lock'), JSON.stringify({ pid: dead.pid, host: hostname(), startedAt: '2026-11-27T02:00:00.000Z' }));
    const r = await cli(['run', join(jobs, 'reconcile-mvp.json'), '--check'], { env: emulator.env, cwd: root });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`warning: taking over a stale lock ${join(jobs, 'reconcile-mvp.json.lock')} left by pid ${dead.pid}`);
    expect((await readdir(jobs)).filter((f) => f.includes('.lock'))).toEqual([]);
  });

  test('two runs of the same job at once: the second exits 7 at once, naming the holder', async () => {
    emulator.knobs.latencyMs = 300;
    const first = spawn(process.execPath, [join(repo, 'dist/main.js'), 'run', join(jobs, 'retire-beta-testers.json')], { env: { PATH: process.env.PATH ?? '', ...emulator.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    // wait until the first run holds the lock
    await until(async () => (await readdir(jobs)).includes('retire-beta-testers.json.lock'));
    const t = performance.now();
    const second = await cli(['run', join(jobs, 'retire-beta-testers.json')], { env: emulator.env, cwd: root });
    expect(second.code).toBe(7);
    expect(second.stderr).toContain(`job is already running: pid ${first.pid}`);
    expect(performance.now() - t).toBeLessThan(1000);
    const [code] = (await once(first, 'exit')) as [number];
    expect(code).toBe(0);
    expect((await readdir(jobs)).filter((f) => f.includes('.lock'))).toEqual([]);
    expect(emulator.state.members.get('24073000002958023')?.size).toBe(0);
  });
});

describe('colour', () => {
  test('only on a TTY, and never with NO_COLOR', async () => {
    const { PassThrough } = await import('node:stream');
    const { runCli: run } = await import('../src/runCli.js');
    const doctor = async (env: Record<string, string>) => {
      const stdout = Object.assign(new PassThrough(), { isTTY: true });
      let out = '';
      stdout.on('data', (d: Buffer) => (out += d.toString()));
      await run(['doctor'], { stdout, stderr: new PassThrough(), env: { ...emulator.env, ...env }, cwd: root, interrupted: () => new Promise(() => {}) });
      return out;
    };
    expect(await doctor({})).toContain('\u001b[32m✔\u001b[39m');
    expect(await doctor({ NO_COLOR: '1' })).not.toContain('\u001b[');
    expect((await cli(['doctor'], { env: emulator.env, cwd: root })).stdout).not.toContain('\u001b[');
  });
});

describe('the GitHub Actions workflow kept in the repo', () => {
  test('checks drift on pull requests and applies on main, with credentials from secrets only', async () => {
    const wf = await readFile(join(repo, '.github/workflows/reconcile-labels.yml'), 'utf8');
    expect(wf).toContain('run: npx zdlabels run jobs/reconcile-mvp.json --check');
    expect(wf).toMatch(/if: github\.event_name == 'push'\n\s+run: npx zdlabels run jobs\/reconcile-mvp\.json --log-format json/);
    for (const s of ['ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN']) expect(wf).toContain(`${s}: \${{ secrets.${s} }}`);
    expect(wf).toContain('node-version: 20');
    await expect(loadJob(join(repo, 'jobs/reconcile-mvp.json'))).resolves.toMatchObject({ action: 'reconcile', keep: 'keep/mvp.csv' });
  });
});

describe('the prune job', () => {
  /** Every (label, user) pair held by a user with one of these statuses. */
  const heldBy = (e: RunningEmulator, statuses: string[]) => e.state.pairs().filter((p) => statuses.includes(e.state.users.get(p.split(':')[0]!)!.status));

  test('prune-disabled: every label taken away from disabled and deleted users, nobody else; snapshot, results, restore', async () => {
    const before = emulator.state.pairs();
    const targeted = heldBy(emulator, ['DISABLED', 'DELETED']);
    expect(targeted).toHaveLength(8);
    const r = await cli(['run', join(jobs, 'prune-disabled.json')], { env: emulator.env, cwd: root });
    expect([r.code, r.stderr]).toEqual([0, expect.stringContaining('8 rows → 8 removed')]);
    expect(emulator.state.pairs()).toEqual(before.filter((p) => !targeted.includes(p)));
    const runs = await readdir(join(jobs, 'runs'));
    const results = runs.find((f) => /^prune-disabled-\d{4}-\d\d-\d\d-\d{6}\.results\.csv$/.test(f))!;
    expect(runs).toEqual(expect.arrayContaining([results.replace('.results.csv', '.snapshot.csv'), results.replace('.results.csv', '.plan.csv'), results.replace('.results.csv', '.manifest.json')]));
    expect((await readResults(join(jobs, 'runs', results))).every((x) => x.status === 'removed' && (x as Record<string, string>).verified === 'yes')).toBe(true);

    expect((await cli(['restore', join(jobs, 'runs', results)], { env: emulator.env, cwd: root })).code).toBe(0);
    expect(emulator.state.pairs()).toEqual(before);
  });

  test('command-line options override the job: --status DELETED --dry-run', async () => {
    const r = await cli(['run', join(jobs, 'prune-disabled.json'), '--status', 'deleted', '--dry-run', '--json', '--out', 'dry.csv'], { env: emulator.env, cwd: root });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { counts: { planned: number } }).counts.planned).toBe(heldBy(emulator, ['DELETED']).length);
    expect(emulator.calls.filter((c) => c.endpoint.startsWith('remove'))).toHaveLength(0);
  });

  test('a prune job without a rule, with two inactivity rules, or with labels and allLabels is refused, each problem named', async () => {
    await writeFile(join(root, 'bad.json'), JSON.stringify({ name: 'p', action: 'prune', labels: ['MVP'], allLabels: true, label: '1', inactiveSince: '2025-07-01', inactiveFor: '180d', status: ['GONE'] }));
    const r = await cli(['run', 'bad.json'], { env: emulator.env, cwd: root });
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').map((l) => l.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        '/label: not used by action prune; remove it',
        '/: prune needs either `labels` or `allLabels: true`, not both',
        '/: give `inactiveSince` or `inactiveFor`, not both',
        '/status/0: "GONE" is not allowed; allowed: "ACTIVE", "DISABLED", "DELETED"',
      ]),
    );
    await writeFile(join(root, 'norule.json'), JSON.stringify({ name: 'p', action: 'prune', labels: ['MVP'] }));
    const none = await cli(['run', 'norule.json'], { env: emulator.env, cwd: root });
    expect([none.code, none.stderr]).toEqual([2, expect.stringContaining('/: prune needs a rule: `status`, `inactiveSince` or `inactiveFor`')]);
    expect(emulator.calls).toHaveLength(0);
  });

  test('a prune job naming labels by name, with a keep file relative to the job', async () => {
    await writeFile(join(jobs, 'keep-ken.csv'), 'user_id\n1060099000000334008\n');
    await writeFile(join(jobs, 'prune-beta.json'), JSON.stringify({ name: 'prune-beta', action: 'prune', labels: ['beta tester'], status: ['DISABLED'], keep: 'keep-ken.csv', yes: true, out: 'runs/beta.results.csv' }));
    const r = await cli(['run', join(jobs, 'prune-beta.json')], { env: emulator.env, cwd: root });
    expect(r.code).toBe(0);
    const removed = (await readResults(join(jobs, 'runs/beta.results.csv'))).map((x) => x.user_id);
    expect(removed).not.toContain('1060099000000334008');
    // Beta Tester holds three DISABLED users: Ken Thompson (kept), Katherine Johnson and Jean Sammet.
    expect(removed.map((id) => emulator.state.users.get(id)!.name).sort()).toEqual(['Jean Sammet', 'Katherine Johnson']);
    expect(emulator.state.has('24073000002958023', '1060099000000334008')).toBe(true);
  });
});

describe('a remove job whose CSV names users by email and labels by name', () => {
  test('looks them up, removes, and keeps what each row said', async () => {
    await writeFile(join(jobs, 'inbox/hr-export.csv'), 'Email Address,Label Name\nken.thompson@zylker.com,Beta Tester\nada.lovelace@zylker.com,beta tester\n');
    await writeFile(join(jobs, 'hr.json'), JSON.stringify({ name: 'hr', action: 'remove', input: 'inbox/hr-export.csv', out: 'runs/hr.results.csv' }));
    const r = await cli(['run', join(jobs, 'hr.json')], { env: emulator.env, cwd: root });
    expect([r.code, r.stderr]).toEqual([0, expect.stringContaining('2 rows → 1 removed, 1 not_member')]);
    expect(emulator.state.has('24073000002958023', '1060099000000334008')).toBe(false);
    const rows = (await readResults(join(jobs, 'runs/hr.results.csv'))) as unknown as Record<string, string>[];
    expect(rows.map((x) => [x.user_id, x.status, x.email, x.label])).toEqual([
      ['1060099000000334008', 'removed', 'ken.thompson@zylker.com', 'Beta Tester'],
      ['', 'not_member', 'ada.lovelace@zylker.com', 'beta tester'],
    ]);
  });
});
