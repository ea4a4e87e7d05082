// A run's last step: its summary (with the exit code, decided here once),
// the manifest beside the results, and what is said to the user.
import { exitCodeForRun } from '../exitCodes.js';
import { writeFileAtomic } from '../files/atomic.js';
import { artifactsFor } from '../files/artifacts.js';
import type { Io } from '../io.js';
import type { Logger } from '../log.js';
import type { Plan } from '../plan/plan.js';
import type { OutcomeStore } from '../rows/outcomes.js';
import { doneStatuses } from '../rows/types.js';
import { toolVersion } from '../version.js';
import type { FlowSpec } from './flow.js';
import type { LiveRun } from './live.js';
import type { Prepared } from './prepare.js';
import type { StopReason } from './stop.js';
import { formatSummary, type CreditReport, type RunSummary } from './summary.js';

/** The credits a plan needs: a write per call, and an estimate of the reads (list pages cost 3). */
function creditsNeeded(plan: Plan, spec: FlowSpec, labels: number): Pick<CreditReport, 'writes' | 'reads' | 'guardReads'> {
  const { options, action } = spec;
  const sides = new Set(plan.batches.map((b) => b.by)).size;
  const guardReads = options.guard && action === 'remove' ? sides * (2 * 3 + 1) : 0;
  const verifyReads = options.verify ? labels * 3 : 0;
  return { writes: plan.batches.length, reads: (spec.readCredits ?? 0) + guardReads + verifyReads, guardReads };
}

/** Writes the manifest beside the results: what ran, on what, with which options, and how it ended. */
async function writeManifest(spec: FlowSpec, summary: RunSummary, startedAt: string): Promise<string> {
  const { manifest } = artifactsFor(spec.out);
  const { envNames: _names, ...options } = spec.options;
  const content = {
    job: spec.options.job ?? null,
    command: spec.command,
    toolVersion,
    input: spec.rows.source.path,
    inputSha256: spec.rows.source.sha256,
    results: spec.out,
    options,
    startedAt,
    endedAt: new Date().toISOString(),
    rows: summary.rows,
    counts: summary.counts,
    calls: summary.calls,
    apiCalls: summary.apiCalls,
    retries: summary.retries,
    exitCode: summary.exitCode,
    stoppedBy: summary.stoppedBy ?? null,
    guard: summary.guard ?? null,
    labelIdsIn: summary.labelIdsIn ?? null,
    credits: summary.credits,
  };
  await writeFileAtomic(manifest, `${JSON.stringify(content, null, 2)}\n`);
  return manifest;
}

const stopWhat: Record<StopReason, string> = {
  auth: 'Stopped: authentication was refused',
  credits: 'Stopped for API credits',
  interrupted: 'Interrupted',
  systematic: 'Stopped: calls were refused the same way',
  guard: 'Stopped by the first-write guard',
  unchecked: 'Stopped: the first-write guard could not read',
};

/** Whether every row is done (and, with --verify, confirmed): exit 0 rather than 1. */
function allDone(spec: FlowSpec): boolean {
  const { table, outcomes } = spec.rows;
  for (let i = 0; i < table.size; i += 1) if (!doneStatuses.has(outcomes.status(i) ?? 'deferred') || outcomes.verified(i) === 'no') return false;
  return true;
}

/**
 * Pairs per second this run changed: only rows it had to send (`pending`) that
 * ended removed or added, not those a resumed run found finished. 0 when none.
 */
function pairsPerSecond(pending: Uint32Array, outcomes: OutcomeStore, elapsedMs: number): number {
  let changed = 0;
  for (const i of pending) {
    const status = outcomes.status(i);
    if (status === 'removed' || status === 'added') changed += 1;
  }
  return changed === 0 || elapsedMs <= 0 ? 0 : Math.round((changed / elapsedMs) * 1000);
}

/** The run's summary, with its exit code. */
export function summarize(spec: FlowSpec, prep: Prepared, live: LiveRun | undefined, elapsedMs: number): RunSummary {
  const { options, rows } = spec;
  const execution = live?.execution;
  const counts = rows.outcomes.counts();
  const client = live?.client ?? spec.client;
  return {
    command: spec.command,
    input: rows.source.path,
    out: spec.out,
    dryRun: options.dryRun,
    grouping: prep.plan.grouping,
    rows: rows.table.size,
    counts,
    labels: prep.labels,
    users: prep.users,
    batches: prep.plan.batches.length,
    calls: options.dryRun ? prep.plan.batches.length : (execution?.writes ?? 0),
    apiCalls: client?.meter.calls ?? 0,
    retries: execution?.retries ?? 0,
    elapsedMs: Math.round(elapsedMs),
    pairsPerSecond: options.dryRun ? 0 : pairsPerSecond(prep.pending, rows.outcomes, elapsedMs),
    exitCode: exitCodeForRun(execution?.stop?.reason, allDone(spec)),
    stoppedBy: execution?.stop?.reason,
    batchSizeCap: execution?.batchSizeCap,
    ...(live?.verification ? { verified: { by: live.verification.by, reads: live.verification.targets, failed: live.verification.failed } } : {}),
    guard: execution?.guard,
    labelIdsIn: execution?.labelIdsIn,
    splitCalls: execution?.splitCalls,
    credits: { ...creditsNeeded(prep.plan, spec, prep.labels), spent: client?.meter.spent ?? 0, remaining: client?.meter.remaining, reported: client?.meter.reported, estimated: (client?.meter.unweighed ?? 0) > 0 },
  };
}

/** Writes the manifest, then tells the user: the summary, why the run stopped and how to resume it, the command's notes. */
export async function report(spec: FlowSpec, summary: RunSummary, live: LiveRun | undefined, startedAt: string, resumeHint: string, io: Io, log: Logger): Promise<void> {
  const manifest = await writeManifest(spec, summary, startedAt);
  if (log.json) log.event('run_end', { ...summary, manifest });
  else io.stderr.write(formatSummary(summary));
  const stop = live?.execution?.stop;
  if (stop) {
    const unfinished = summary.counts.failed > 0 ? `, ${summary.counts.failed} failed or not finished` : '';
    log.say(`${stopWhat[stop.reason]}: ${summary.counts.deferred} rows not sent (deferred)${unfinished}. ${stop.message}`);
    const back = stop.retryAfterSeconds ? ` after ${new Date(Date.now() + stop.retryAfterSeconds * 1000).toISOString()}` : '';
    if (stop.reason !== 'guard') log.say(`Resume${back} with: ${resumeHint}`);
  }
  for (const note of spec.notes ?? []) log.say(note);
  if (spec.options.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
}
