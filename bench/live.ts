// Issue 12's real runs: zdlabels removing a million pairs from the emulator,
// each in a process of its own (no latency, an org limit of 100). One run
// uninterrupted against a fresh emulator; one killed (kill -9) half way and
// resumed, for the time its --resume takes to read the journal.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { mbOfTarget, type Figure } from './figure.js';
import { emulatorProcess, fmt, zdlabels } from './lib.js';

const LIMIT_MB = 512;

export interface LiveInput {
  input: string;
  seed: string;
  pairs: number;
}

/** Checks a results file streams back one line per input row, numbered 1..n in order, every one removed. */
async function resultsInOrder(file: string, rows: number): Promise<boolean> {
  const lines = createInterface({ input: createReadStream(file) });
  let n = -1;
  let ok = true;
  for await (const line of lines) {
    n += 1;
    if (n === 0) continue;
    const [row, , , status] = line.split(',');
    if (Number(row) !== n || status !== 'removed') ok = false;
  }
  return ok && n === rows;
}

const startEmulator = (seed: string) => emulatorProcess(seed, ['--concurrency-limit', '100']);
const removeArgs = (input: string, out: string): string[] => ['remove', input, '--concurrency', '25', '--out', out, '--log-format', 'json'];

/** One `remove` of every pair against a freshly started emulator, not interrupted: its time, peak memory and results. */
export async function uninterrupted(data: LiveInput, dir: string): Promise<Figure> {
  const em = await startEmulator(data.seed);
  try {
    const out = `${dir}/full.results.csv`;
    const run = await zdlabels(removeArgs(data.input, out), em.env, dir);
    const left = (await em.log(false)).pairs;
    const complete = run.code === 0 && left === 0 && (await resultsInOrder(out, data.pairs));
    const outcome = complete ? 'yes' : `NO (exit ${run.code}, ${fmt(left)} pairs left at the emulator)`;
    return {
      what: `live run, ${fmt(data.pairs)} pairs, uninterrupted, fresh emulator`,
      value: `${fmt(run.ms)} ms, peak ${mbOfTarget(run.rssMb, LIMIT_MB)}; results complete, in input order, every row removed: ${outcome}`,
      target: `≤ ${LIMIT_MB} MB, complete`,
      ok: complete && run.rssMb <= LIMIT_MB,
    };
  } finally {
    await em.stop();
  }
}

/** A run killed (kill -9) half way, then `--resume`d to the end against the same emulator. */
export async function killedAndResumed(data: LiveInput, dir: string, floorMs: number): Promise<Figure[]> {
  const em = await startEmulator(data.seed);
  try {
    const out = `${dir}/live.results.csv`;
    const args = removeArgs(data.input, out);
    const half = data.pairs / 2;
    const killed = await zdlabels(args, em.env, dir, async () => (await em.log(false)).pairs <= half);
    const leftAtKill = (await em.log(false)).pairs;
    const resumed = await zdlabels([...args, '--resume'], em.env, dir);
    const resume = /"event":"resume".*?"entries":(\d+).*?"ms":(\d+)/.exec(resumed.stderr);
    const complete = resumed.code === 0 && (await em.log(false)).pairs === 0 && (await resultsInOrder(out, data.pairs));
    const journalMs = Number(resume?.[2] ?? NaN);
    return [
      { what: `live run, killed at ${fmt(data.pairs - leftAtKill)} of ${fmt(data.pairs)} pairs: peak memory`, value: mbOfTarget(killed.rssMb, LIMIT_MB), target: `≤ ${LIMIT_MB} MB`, ok: killed.rssMb <= LIMIT_MB },
      { what: `--resume: reads its journal (${fmt(Number(resume?.[1] ?? NaN))} entries)`, value: `${fmt(journalMs)} ms = ${fmt(journalMs / floorMs, 2)}× floor`, target: '≤ 2× floor', ok: journalMs <= 2 * floorMs },
      { what: '--resume: the whole run to the end', value: `${fmt(resumed.ms)} ms, peak ${mbOfTarget(resumed.rssMb, LIMIT_MB)}; results complete, in input order: ${complete ? 'yes' : 'NO'}`, target: `≤ ${LIMIT_MB} MB, complete`, ok: complete && resumed.rssMb <= LIMIT_MB },
    ];
  } finally {
    await em.stop();
  }
}
