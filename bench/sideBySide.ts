// Issue 11: what a user would otherwise run, side by side with zdlabels, in
// one run against the same emulator setup (its own process, 25 ms per call,
// an org limit of 10 calls at once).
import { accessToken, batched, dataset, emulatorProcess, fmt, perPair, pool, spanOf, zdlabels, type EmulatorProcess } from './lib.js';

const LATENCY = 25;
const LIMIT = 10;

interface Row {
  approach: string;
  calls: number;
  ms: number;
}

export async function sideBySide(dir: string, pairCount: number): Promise<string[]> {
  const users = Math.ceil(pairCount / 4);
  const data = await dataset(dir, users, Math.max(1, Math.round(users / 50)) * 4, 4);
  const pairs = (await import('node:fs/promises')).readFile(data.input, 'utf8').then((t) => t.trim().split('\n').slice(1).map((l) => l.split(',') as [string, string]));
  const list = await pairs;
  const rows: Row[] = [];
  const fresh = () => emulatorProcess(data.seed, ['--latency', String(LATENCY), '--concurrency-limit', String(LIMIT)]);
  const timed = async (approach: string, make: (em: EmulatorProcess, token: string) => (() => Promise<unknown>)[], width: number) => {
    const em = await fresh();
    try {
      const tasks = make(em, await accessToken(em.env));
      const t = performance.now();
      await pool(tasks, width);
      const ms = performance.now() - t;
      const log = await em.log(false);
      if (log.pairs !== 0) throw new Error(`${approach} left ${log.pairs} pairs`);
      rows.push({ approach, calls: tasks.length, ms });
    } finally {
      await em.stop();
    }
  };
  await timed('how-to: one call per pair, one after another', (em, t) => perPair(em, t, list), 1);
  await timed(`one call per pair, ${LIMIT} at once (xargs -P ${LIMIT})`, (em, t) => perPair(em, t, list), LIMIT);
  await timed(`floor: zdlabels' calls by a bare fetch pool, ${LIMIT} at once`, (em, t) => batched(em, t, list), LIMIT);
  const em = await fresh();
  try {
    const r = await zdlabels(['remove', data.input, '--concurrency', String(LIMIT), '--out', `${dir}/side.results.csv`], em.env, dir);
    const log = await em.log();
    const writes = log.calls.filter((c) => c.endpoint === 'removeUsersFromLabel');
    if (r.code !== 0 || log.pairs !== 0) throw new Error(`zdlabels: exit ${r.code}, ${log.pairs} pairs left\n${r.stderr}`);
    rows.push({ approach: `zdlabels remove --concurrency ${LIMIT} (span of its calls; whole command ${fmt(r.ms)} ms)`, calls: log.calls.length, ms: spanOf(writes) });
  } finally {
    await em.stop();
  }
  const planCalls = rows[2]!.calls;
  const ideal = Math.ceil(planCalls / LIMIT) * LATENCY;
  return [
    `## Side by side (issue 11): ${fmt(list.length)} pairs, ${LATENCY} ms per call, org limit ${LIMIT}`,
    `ideal: ⌈${planCalls} calls ÷ ${LIMIT}⌉ × ${LATENCY} ms = ${ideal} ms`,
    '',
    '| approach | calls | time | × ideal |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.approach} | ${fmt(r.calls)} | ${fmt(r.ms)} ms | ${fmt(r.ms / ideal, 2)} |`),
  ];
}
