// The bench's plumbing: the emulator and zdlabels in processes of their own
// (as Zoho is another machine, and so memory is measured per process).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Seed } from '../src/emulator/seed.js';

export const main = fileURLToPath(new URL('../../../dist/main.js', import.meta.url));
const rssHook = fileURLToPath(new URL('./rss-hook.js', import.meta.url));

export interface EmulatorProcess {
  url: string;
  env: Record<string, string>;
  log: (withCalls?: boolean) => Promise<EmulatorLog>;
  /** Ends the emulator (SIGTERM); resolves once it has exited, so the next one does not share the machine with it. */
  stop: () => Promise<void>;
}

export interface EmulatorLog {
  pairs: number;
  callCount: number;
  refused429: Record<string, number>;
  calls: { endpoint: string; status: number | string; errorCode?: string; ids: number; startedAt: number; endedAt: number }[];
}

/** Starts `zdlabels emulator` as a child process with a seed file and flags; resolves once it serves. */
export async function emulatorProcess(seedFile: string, flags: string[]): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ['--max-old-space-size=4096', main, 'emulator', '--seed', seedFile, ...flags], { stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: string) => {
      out += d;
      if (out.includes('Ctrl-C')) resolve();
    });
    child.once('exit', () => reject(new Error(`emulator exited before serving:\n${out}`)));
  });
  const env = Object.fromEntries([...out.matchAll(/export (\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
  const url = env.ZOHO_DESK_URL!;
  return {
    url,
    env,
    log: async (withCalls = true) => (await (await fetch(`${url}/__emulator/log${withCalls ? '' : '?calls=0'}`)).json()) as EmulatorLog,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface Measured {
  code: number | null;
  ms: number;
  /** Peak resident memory of the zdlabels process, MB. */
  rssMb: number;
  stderr: string;
}

/** Runs zdlabels in its own process, timing it and reading its peak memory. `killWhen` may end it early (SIGKILL). */
export function zdlabels(args: string[], env: Record<string, string>, cwd: string, killWhen?: () => Promise<boolean>): Promise<Measured> {
  return measureNode([main, ...args], env, cwd, killWhen);
}

/** Runs a node script in its own process, timing it and reading its peak memory. */
export async function measureNode(argv: string[], env: Record<string, string>, cwd: string, killWhen?: () => Promise<boolean>): Promise<Measured> {
  const rssFile = join(cwd, `rss-${process.hrtime.bigint()}`);
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', rssHook, ...argv], { cwd, env: { PATH: process.env.PATH ?? '', ...env, ZDLABELS_BENCH_RSS: rssFile }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A process killed with SIGKILL cannot report at exit: its peak is read from /proc just before.
  let peakAtKill = NaN;
  if (killWhen) {
    void (async () => {
      while (child.exitCode === null && !(await killWhen())) await new Promise((r) => setTimeout(r, 100));
      peakAtKill = await peakKib(child.pid);
      child.kill('SIGKILL');
    })();
  }
  const code = await exited;
  const ms = performance.now() - started;
  const rss = Number(await readFile(rssFile, 'utf8').catch(() => String(peakAtKill)));
  await rm(rssFile, { force: true });
  return { code, ms, rssMb: rss / 1024, stderr };
}

/** A process's peak resident memory so far (VmHWM, KiB), from /proc (Linux). */
async function peakKib(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

/** A folder for one bench run, removed at the end. */
export async function workdir(): Promise<{ dir: string; done: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'zdlabels-bench-'));
  return { dir, done: () => rm(dir, { recursive: true, force: true }) };
}

const userId = (i: number): string => String(1060099000000334001n + BigInt(i));
const labelId = (i: number): string => String(24073000003000000n + BigInt(i));

/**
 * A help center of `users` users and `labels` labels where user i holds
 * `perUser` consecutive labels (wrapping): the pairs CSV and the seed that
 * holds exactly those memberships. Written as streams: a million lines.
 */
export async function dataset(dir: string, users: number, labels: number, perUser: number): Promise<{ input: string; seed: string; pairs: number }> {
  const input = join(dir, `pairs-${users * perUser}.csv`);
  const lines: string[] = ['user_id,label_id'];
  const members: string[][] = Array.from({ length: labels }, () => []);
  for (let u = 0; u < users; u += 1) {
    for (let k = 0; k < perUser; k += 1) {
      const l = (u * perUser + k) % labels;
      lines.push(`${userId(u)},${labelId(l)}`);
      members[l]!.push(userId(u));
    }
  }
  await writeFile(input, `${lines.join('\n')}\n`);
  const hc = '24073000002886005';
  const seed: Seed = {
    organizations: [{ id: '2389290', companyName: 'Bench', portalName: 'bench' }],
    helpCenters: [{ id: hc, name: 'HC', orgId: '2389290' }],
    labels: Array.from({ length: labels }, (_, i) => ({ id: labelId(i), name: `L${i}`, helpCenterId: hc })),
    users: Array.from({ length: users }, (_, i) => ({ id: userId(i), name: `U${i}`, email: `u${i}@x.io` })),
    memberships: members.map((userIds, i) => ({ labelId: labelId(i), userIds })),
  };
  const seedFile = join(dir, `seed-${users * perUser}.json`);
  await writeFile(seedFile, JSON.stringify(seed));
  return { input, seed: seedFile, pairs: users * perUser };
}

/** The span of a set of calls at the emulator: first arrival to last answer, ms. */
export const spanOf = (calls: EmulatorLog['calls']): number => Math.max(...calls.map((c) => c.endedAt)) - Math.min(...calls.map((c) => c.startedAt));

/** An access token from the emulator, for the approaches that are not zdlabels. */
export async function accessToken(env: Record<string, string>): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: env.ZOHO_CLIENT_ID!, client_secret: env.ZOHO_CLIENT_SECRET!, refresh_token: env.ZOHO_REFRESH_TOKEN! });
  const r = (await (await fetch(`${env.ZOHO_ACCOUNTS_URL}/oauth/v2/token`, { method: 'POST', body: form })).json()) as { access_token: string };
  return r.access_token;
}

/** Runs `tasks` with at most `width` at once (a bare pool: no retries, no throttle). */
export async function pool(tasks: (() => Promise<unknown>)[], width: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < tasks.length) await tasks[next++]!();
  }));
}

export const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** One call per pair to the real by-label endpoint (the how-to pages' DELETE /helpcenter paths do not exist). */
export function perPair(em: EmulatorProcess, token: string, pairs: [string, string][]): (() => Promise<unknown>)[] {
  return pairs.map(([user, label]) => () =>
    fetch(`${em.url}/api/v1/labels/${label}/users/remove`, { method: 'POST', headers: { authorization: `Zoho-oauthtoken ${token}`, orgId: em.env.ZOHO_ORG_ID!, 'content-type': 'application/json' }, body: JSON.stringify({ userIds: [user] }) }).then((r) => r.arrayBuffer()),
  );
}

/** zdlabels' own calls (by label, 50 IDs), made by a bare fetch pool: no planning, journal, retries or throttle. */
export function batched(em: EmulatorProcess, token: string, pairs: [string, string][]): (() => Promise<unknown>)[] {
  const byLabel = new Map<string, string[]>();
  for (const [u, l] of pairs) byLabel.set(l, [...(byLabel.get(l) ?? []), u]);
  const calls: (() => Promise<unknown>)[] = [];
  for (const [label, users] of byLabel) {
    for (let i = 0; i < users.length; i += 50) {
      const userIds = users.slice(i, i + 50);
      calls.push(() => fetch(`${em.url}/api/v1/labels/${label}/users/remove`, { method: 'POST', headers: { authorization: `Zoho-oauthtoken ${token}`, orgId: em.env.ZOHO_ORG_ID!, 'content-type': 'application/json' }, body: JSON.stringify({ userIds }) }).then((r) => r.arrayBuffer()));
    }
  }
  return calls;
}

