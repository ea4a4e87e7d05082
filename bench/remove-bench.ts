// npm run bench: does `zdlabels remove` keep Zoho busy? The emulator runs in
// its own process (as Zoho would be another machine) with 25 ms per call and
// an org limit of 10 calls at once; 20 000 pairs in 400 batches should take
// close to the ideal ⌈400 ÷ 10⌉ × 25 ms of calls.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { removeCommand } from '../src/commands/remove.js';
import type { Seed } from '../src/emulator/seed.js';

const LABELS = 400;
const PER_LABEL = 50;
const LATENCY_MS = 25;
const ORG_LIMIT = 10;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
// the package's own build (npm run bench builds it first)
const main = fileURLToPath(new URL('../../../dist/main.js', import.meta.url));

const hc = '24073000002886005';
const labels = Array.from({ length: LABELS }, (_, i) => String(24073000003000000n + BigInt(i)));
const users = Array.from({ length: LABELS * PER_LABEL }, (_, i) => String(1060099000000334001n + BigInt(i)));
const seed: Seed = {
  organizations: [{ id: '2389290', companyName: 'Bench', portalName: 'bench' }],
  helpCenters: [{ id: hc, name: 'HC', orgId: '2389290' }],
  labels: labels.map((id, i) => ({ id, name: `L${i}`, helpCenterId: hc })),
  users: users.map((id, i) => ({ id, name: `U${i}`, email: `u${i}@x.io` })),
  memberships: labels.map((labelId, l) => ({ labelId, userIds: users.slice(l * PER_LABEL, (l + 1) * PER_LABEL) })),
};

const dir = await mkdtemp(join(tmpdir(), 'zdlabels-bench-'));
const input = join(dir, 'pairs.csv');
const seedFile = join(dir, 'seed.json');
await writeFile(seedFile, JSON.stringify(seed));
await writeFile(input, ['user_id,label_id', ...labels.flatMap((l, i) => users.slice(i * PER_LABEL, (i + 1) * PER_LABEL).map((u) => `${u},${l}`))].join('\n') + '\n');

/** Starts `zdlabels emulator` as a child process and reads its URL and environment. */
async function emulatorProcess(): Promise<{ env: Record<string, string>; url: string; stop: () => void }> {
  const child = spawn(process.execPath, [main, 'emulator', '--seed', seedFile, '--latency', String(LATENCY_MS), '--concurrency-limit', String(ORG_LIMIT)], { stdio: ['ignore', 'pipe', 'ignore'] });
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
  return { env, url: env.ZOHO_DESK_URL!, stop: () => child.kill('SIGTERM') };
}

interface Log {
  pairs: number;
  calls: { endpoint: string; status: number | string; startedAt: number; endedAt: number }[];
}

const ideal = Math.ceil(LABELS / ORG_LIMIT) * LATENCY_MS;
console.log(`zdlabels bench: ${LABELS * PER_LABEL} pairs, ${LABELS} batches, ${LATENCY_MS} ms per call, org limit ${ORG_LIMIT}, --concurrency ${ORG_LIMIT}; node ${process.version}`);
console.log(`ideal span of the calls: ⌈${LABELS} ÷ ${ORG_LIMIT}⌉ × ${LATENCY_MS} ms = ${ideal} ms; budget ≤ ${ideal * 1.25} ms (1.25×)`);
let worst = 0;
for (let run = 1; run <= RUNS; run += 1) {
  const emulator = await emulatorProcess();
  const sink = new PassThrough();
  sink.resume();
  const started = performance.now();
  const code = await removeCommand(
    { input, out: join(dir, `run${run}.results.csv`), by: 'auto', dryRun: false, concurrency: ORG_LIMIT, batchSize: 50, retries: 5, resume: false, verify: false, verbose: false, json: false, guard: true },
    { stdout: sink, stderr: sink, env: emulator.env, cwd: dir, interrupted: () => new Promise(() => {}) },
  );
  const wall = performance.now() - started;
  const log = (await (await fetch(`${emulator.url}/__emulator/log`)).json()) as Log;
  emulator.stop();
  const writes = log.calls.filter((c) => c.endpoint === 'removeUsersFromLabel');
  const span = Math.max(...writes.map((c) => c.endedAt)) - Math.min(...writes.map((c) => c.startedAt));
  const refused = writes.filter((c) => c.status === 429).length;
  worst = Math.max(worst, span / ideal);
  console.log(
    `run ${run}: exit ${code}, ${writes.length} calls (${refused} refused 429), span ${span.toFixed(0)} ms = ${(span / ideal).toFixed(3)}× ideal; whole command ${wall.toFixed(0)} ms (${Math.round(((LABELS * PER_LABEL) / wall) * 1000)} pairs/s); pairs left ${log.pairs}`,
  );
  if (code !== 0 || log.pairs !== 0) process.exitCode = 1;
}
console.log(`worst: ${worst.toFixed(3)}× ideal — ${worst <= 1.25 ? 'within' : 'OVER'} the 1.25× budget`);
if (worst > 1.25) process.exitCode = 1;
