// Issue 11: --concurrency 25 against an org whose real limit is lower and
// unknown to the tool: how many calls are refused, and how close the calls'
// span comes to the ideal at the org's limit.
import { readFile } from 'node:fs/promises';
import { accessToken, batched, dataset, emulatorProcess, fmt, pool, spanOf, zdlabels } from './lib.js';

const LATENCY = 25;

/** One run of zdlabels against an emulator with a hidden limit: the 429 share and the writes' span. */
async function measure(seed: string, input: string, dir: string, limit: number, guard: boolean): Promise<{ calls: number; refused: number; accepted: number; span: number }> {
  const em = await emulatorProcess(seed, ['--latency', String(LATENCY), '--concurrency-limit', String(limit)]);
  try {
    const r = await zdlabels(['remove', input, '--concurrency', '25', ...(guard ? [] : ['--no-guard']), '--out', `${dir}/hidden-${limit}-${guard}.results.csv`], em.env, dir);
    const log = await em.log();
    if (r.code !== 0 || log.pairs !== 0) throw new Error(`exit ${r.code}, ${log.pairs} pairs left\n${r.stderr}`);
    const writes = log.calls.filter((c) => c.endpoint === 'removeUsersFromLabel');
    const refused = writes.filter((c) => c.errorCode === 'TOO_MANY_REQUESTS').length;
    return { calls: writes.length, refused, accepted: writes.length - refused, span: spanOf(writes) };
  } finally {
    await em.stop();
  }
}

/** The floor at the org's limit: the same calls by a bare fetch pool exactly as wide as the limit (no learning, no guard, no journal). */
async function floorSpan(seed: string, input: string, limit: number): Promise<number> {
  const pairs = (await readFile(input, 'utf8')).trim().split('\n').slice(1).map((l) => l.split(',') as [string, string]);
  const em = await emulatorProcess(seed, ['--latency', String(LATENCY), '--concurrency-limit', String(limit)]);
  try {
    await pool(batched(em, await accessToken(em.env), pairs), limit);
    return spanOf((await em.log()).calls.filter((c) => c.endpoint === 'removeUsersFromLabel'));
  } finally {
    await em.stop();
  }
}

export async function hiddenLimit(dir: string): Promise<{ lines: string[]; ok: boolean }> {
  const data = await dataset(dir, 2500, 50, 4); // 10,000 pairs: 200 calls of 50
  const lines = [
    `## A hidden org limit (issue 11): 10,000 pairs, --concurrency 25, ${LATENCY} ms per call`,
    '',
    'The ideal is the plan\'s calls at the org\'s limit. With the first-write guard (the default) it also holds the',
    "guard's two round trips with one call in flight (its batch alone, then its read-back): 2 × 25 ms. The floor,",
    'measured in the same run, is the same calls by a bare fetch pool exactly as wide as the limit: what loopback HTTP',
    'and the machine allow, so × floor is the tool\'s own cost.',
    '',
    '| org limit | run | calls | refused 429 | share (≤ 3 %) | span | ideal | × ideal (≤ 1.25) | floor | × floor |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  let ok = true;
  for (const limit of [5, 10]) {
    const floor = await floorSpan(data.seed, data.input, limit);
    for (const guard of [true, false]) {
      const m = await measure(data.seed, data.input, dir, limit, guard);
      const ideal = (guard ? 2 * LATENCY + Math.ceil((m.accepted - 1) / limit) * LATENCY : Math.ceil(m.accepted / limit) * LATENCY);
      const share = m.refused / m.calls;
      const ratio = m.span / ideal;
      ok &&= share <= 0.03 && ratio <= 1.25;
      const floorHere = floor + (guard ? 2 * LATENCY : 0);
      lines.push(`| ${limit} | ${guard ? 'default' : '--no-guard'} | ${m.calls} | ${m.refused} | ${fmt(share * 100, 1)} % | ${fmt(m.span)} ms | ${ideal} ms | ${fmt(ratio, 2)} | ${fmt(floorHere)} ms | ${fmt(m.span / floorHere, 2)} |`);
    }
  }
  return { lines, ok };
}
