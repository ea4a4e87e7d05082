import { existsSync, statSync } from 'node:fs';
import { ZdlabelsError } from '../errors/ZdlabelsError.js';
import { InputError } from '../errors/InputError.js';
import { TokenRefreshError } from '../errors/TokenRefreshError.js';
import { exitCodeForRun } from '../exitCodes.js';
import { writeFileAtomic } from '../files/atomic.js';
import { artifactsFor, checkWritable, refuseOverwriting, refuseReplacingRecords } from '../files/artifacts.js';
import type { Io } from '../io.js';
import { loggerFor, type Logger } from '../log.js';
import { planBatches, type Grouping, type Plan } from '../plan/plan.js';
import { Journal, readJournal } from '../rows/journal.js';
import type { OutcomeStore } from '../rows/outcomes.js';
import type { RowSource } from '../rows/readPairs.js';
import { writeResults } from '../rows/results.js';
import { doneStatuses, finalStatuses } from '../rows/types.js';
import { toolVersion } from '../version.js';
import type { ZohoClient } from '../zoho/client.js';
import type { EnvNames } from '../zoho/config.js';
import { clientFor } from './client.js';
import type { ExecutionResult, RunEvent } from './execution.js';
import { execute } from './executor.js';
import { startProgress } from './progress.js';
import type { Stop, StopReason } from './stop.js';
import { formatSummary, type CreditReport, type RunSummary } from './summary.js';
import { verifyOutcomes, type VerifyResult } from './verify.js';

/** The options every writing command shares (camelCase, as in job files). */
export interface RunOptions {
  by: Grouping;
  dryRun: boolean;
  concurrency: number;
  batchSize: number;
  retries: number;
  resume: boolean;
  maxRemovals?: number | undefined;
  helpCenterId?: string | undefined;
  verify: boolean;
  verbose: boolean;
  json: boolean;
  /** Read before and after the first write, and stop if Zoho removed more than asked (--no-guard turns it off). */
  guard: boolean;
  reserveCredits?: number | undefined;
  maxCalls?: number | undefined;
  timeoutMs?: number | undefined;
  retryBaseMs?: number | undefined;
  /** Where the credentials are when not the default ZOHO_* names (job files). */
  envNames?: Partial<EnvNames> | undefined;
  /** The job's name and file, when run from a job file (the resume hint then resumes the job). */
  job?: string | undefined;
  jobFile?: string | undefined;
}

export interface FlowSpec {
  command: string;
  action: 'remove' | 'add';
  rows: RowSource;
  /** The results file. */
  out: string;
  options: RunOptions;
  /** Asked after planning, before the first write; false refuses (exit 5). */
  confirm?: ((plan: Plan, pending: number) => Promise<boolean>) | undefined;
  /** The command line that resumes this run (a job's own is used when run from a job). */
  resumeHint: string;
  /** Lines printed after the summary. */
  notes?: string[] | undefined;
  /** The client to use (commands that read before writing share theirs). */
  client?: ZohoClient | undefined;
  /** The command already checked the outputs (it wrote a snapshot or plan first). */
  outputsChecked?: boolean | undefined;
  /** A label's members the command has just read (the first-write guard then need not read them). */
  knownMembers?: { labelId: string; userIds: ReadonlySet<string> } | undefined;
  /** Reads the command made before the flow (looking up names and emails, reading members), in credits: part of the plan's estimate. */
  readCredits?: number | undefined;
}

export interface FlowResult {
  exitCode: number;
  summary: RunSummary;
}

/** The command that resumes a run: the job's when run from a job file. */
export const resumeHintFor = (options: Pick<RunOptions, 'jobFile'>, out: string, own: string): string =>
  options.jobFile ? `zdlabels run ${options.jobFile} --resume --out ${out}` : own;

/**
 * Checks every file a run will write before anything is sent or written: none
 * is a folder or unwritable, none is an input (through a link too), and a
 * fresh run does not replace an earlier run's records. Commands that write a
 * snapshot or plan first call it before that.
 */
export async function checkOutputs(out: string, options: { resume: boolean; inputs: readonly string[]; resumeHint: string; also?: { path: string; option: string; what: string }[] }): Promise<void> {
  const a = artifactsFor(out);
  const files = [
    { path: a.results, option: '--out', what: 'the results' },
    { path: a.journal, option: '--out', what: 'the journal' },
    { path: a.manifest, option: '--out', what: 'the manifest' },
    ...(options.also ?? []),
  ];
  for (const f of files) await checkWritable(f.path, f.option);
  for (const f of files) await refuseOverwriting(f.path, f.option, options.inputs);
  // Only the results and the journal record writes; a snapshot or plan is derived again by a fresh run.
  if (!options.resume) await refuseReplacingRecords(files.slice(0, 2), options.resumeHint);
}

/** Resumes from the journal: keeps what an earlier run finished. No journal yet: nothing was sent; start afresh. */
async function resumeFrom(journalPath: string, rows: RowSource, log: Logger): Promise<boolean> {
  if (!existsSync(journalPath) || statSync(journalPath).size === 0) {
    log.say(`resume: no journal at ${journalPath} yet, so nothing was recorded; starting from the beginning (removing is idempotent)`);
    return false;
  }
  const { table, outcomes, source } = rows;
  const started = performance.now();
  let entries = 0;
  const { header, skipped } = await readJournal(journalPath, (entry) => {
    entries += 1;
    if (!finalStatuses.has(entry.status)) return;
    const inRange = entry.rows.filter((r) => r < table.size);
    outcomes.setMany(inRange, entry.status, entry);
  });
  log.event('resume', { journal: journalPath, entries, skipped, ms: Math.round(performance.now() - started) });
  if (header.sha256 !== source.sha256 || header.rows !== table.size) {
    throw new InputError(journalPath, 1, `this journal was written for another version of the input (${header.input}); run without --resume and with another --out, or give the --out of the run to resume`);
  }
  if (skipped > 0) log.say(`resume: skipped ${skipped} torn line(s) of ${journalPath}`);
  return true;
}

/** How many distinct keys the rows name (keys are interned numbers below `count`). */
function distinct(rows: Uint32Array, keyOf: Int32Array, count: number): number {
  const seen = new Uint8Array(count);
  let n = 0;
  for (const r of rows) {
    const k = keyOf[r]!;
    if (seen[k] === 0) {
      seen[k] = 1;
      n += 1;
    }
  }
  return n;
}

/** Rows still to send: valid and not finished. */
function pendingRows(outcomes: OutcomeStore): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < outcomes.size; i += 1) if (outcomes.status(i) === undefined) out.push(i);
  return Uint32Array.from(out);
}

/** The credits a plan needs: a write per call, and an estimate of the reads (list pages cost 3). */
function creditsNeeded(plan: Plan, spec: FlowSpec, labels: number): Pick<CreditReport, 'writes' | 'reads'> {
  const { options, action } = spec;
  const sides = new Set(plan.batches.map((b) => b.by)).size;
  const guardReads = options.guard && action === 'remove' ? sides * (2 * 3 + 1) : 0;
  const verifyReads = options.verify ? labels * 3 : 0;
  return { writes: plan.batches.length, reads: (spec.readCredits ?? 0) + guardReads + verifyReads };
}

/** Logs a run event. On a terminal the "stopping" line waits for the summary: the progress bar holds the line (and wrap) until then. */
function logEvent(log: Logger, e: RunEvent, onTerminal: boolean): void {
  const { type, ...fields } = e;
  if (e.type === 'stop') log.event('stop', fields, { line: `stopping: ${e.message}`, always: !onTerminal });
  else if (e.type === 'call_done') log.event('batch_done', fields, { line: `batch ${e.batchId}: ${JSON.stringify(e.statuses)}` });
  else if (e.type === 'guard' || e.type === 'labelids' || e.type === 'lesson') log.event(type, fields, { line: `${type}: ${JSON.stringify(fields)}` });
  else log.event(type, fields);
}

interface LiveRun {
  execution: ExecutionResult | undefined;
  verification: VerifyResult | undefined;
  client: ZohoClient;
}

/** Sends the plan: journal, progress, executor, then --verify. */
async function runLive(spec: FlowSpec, plan: Plan, pending: number, resumed: boolean, startedAt: string, io: Io, log: Logger): Promise<LiveRun> {
  const { options, rows } = spec;
  const client = spec.client ?? clientFor(io, options, log);
  if (pending === 0) return { execution: undefined, verification: undefined, client };
  if (spec.confirm && !(await spec.confirm(plan, pending))) {
    throw new ZdlabelsError('SAFETY_LIMIT', 'not confirmed: nothing was sent. Pass --yes to run without asking (cron, CI).');
  }
  // A token before any write: a token issued for another data centre stops the run here (exit 2);
  // a refused refresh defers every row (exit 3).
  let stoppedBefore: Stop | undefined;
  try {
    await client.tokens.get();
  } catch (error) {
    if (!(error instanceof TokenRefreshError)) throw error;
    stoppedBefore = { reason: 'auth', message: error.message };
  }
  const { journal: journalPath } = artifactsFor(spec.out);
  log.event('run_start', { command: spec.command, job: options.job ?? null, input: rows.source.path, out: spec.out, rows: rows.table.size, pending, batches: plan.batches.length, grouping: plan.grouping });
  const journal = resumed ? Journal.append(journalPath) : Journal.create(journalPath, { command: spec.command, input: rows.source.path, sha256: rows.source.sha256, rows: rows.table.size, startedAt });
  const progress = log.json ? { tick: () => {}, stop: () => {} } : startProgress(io.stderr, pending);
  let finished = 0;
  let execution: ExecutionResult;
  try {
    execution = await execute(plan, {
      client,
      table: rows.table,
      action: spec.action,
      concurrency: options.concurrency,
      retries: options.retries,
      batchSize: options.batchSize,
      helpCenterId: options.helpCenterId,
      retryBaseMs: options.retryBaseMs,
      guard: options.guard,
      stoppedBefore,
      knownMembers: spec.knownMembers,
      interrupted: io.interrupted(),
      onFinished: (entry) => {
        journal.record(entry);
        rows.outcomes.setMany(entry.rows, entry.status, entry);
        finished += entry.rows.length;
        progress.tick(finished, client.meter.calls);
      },
      onEvent: (e) => logEvent(log, e, io.stderr.isTTY === true),
    });
  } finally {
    progress.stop();
    journal.close();
  }
  let verification: VerifyResult | undefined;
  if (options.verify && !execution.stop) {
    verification = await verifyOutcomes(client, rows.table, rows.outcomes, { action: spec.action, concurrency: options.concurrency, helpCenterId: options.helpCenterId });
    for (const m of verification.marks) rows.outcomes.setVerified(m.row, m.ok, m.why);
  }
  return { execution, verification, client };
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
};

/**
 * The flow every writing command shares: rows → plan → run → journal →
 * results → summary and exit code. Commands differ only in where rows come from.
 */
export async function runFlow(spec: FlowSpec, io: Io): Promise<FlowResult> {
  const { options, rows } = spec;
  const log = loggerFor(io, options.verbose);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const resumeHint = resumeHintFor(options, spec.out, spec.resumeHint);
  if (!spec.outputsChecked) await checkOutputs(spec.out, { resume: options.resume, inputs: [rows.source.path], resumeHint });
  const resumed = options.resume && (await resumeFrom(artifactsFor(spec.out).journal, rows, log));
  const pending = pendingRows(rows.outcomes);
  const plan = planBatches(pending, { user: rows.table.user, label: rows.table.label, userCount: rows.table.users.size, labelCount: rows.table.labels.size }, spec.action === 'add' ? 'label' : options.by, options.batchSize);
  if (spec.action === 'remove' && options.maxRemovals !== undefined && pending.length > options.maxRemovals) {
    throw new ZdlabelsError('SAFETY_LIMIT', `the plan removes ${pending.length} pairs, more than --max-removals ${options.maxRemovals}; nothing was sent. Check the input, or raise --max-removals if this is intended.`);
  }
  const labels = distinct(pending, rows.table.label, rows.table.labels.size);
  const users = distinct(pending, rows.table.user, rows.table.users.size);
  let live: LiveRun | undefined;
  if (options.dryRun) {
    for (const b of plan.batches) rows.outcomes.setMany(b.rows, 'planned', { batch: b.id });
  } else live = await runLive(spec, plan, pending.length, resumed, startedAt, io, log);
  const execution = live?.execution;
  await writeResults(spec.out, rows.table, rows.outcomes, { verify: options.verify, extra: rows.extra });

  const counts = rows.outcomes.counts();
  let allDone = true;
  for (let i = 0; i < rows.table.size && allDone; i += 1) allDone = doneStatuses.has(rows.outcomes.status(i) ?? 'deferred') && rows.outcomes.verified(i) !== 'no';
  const stop = execution?.stop;
  const exitCode = exitCodeForRun(stop?.reason, allDone);
  const elapsedMs = performance.now() - started;
  const summary: RunSummary = {
    command: spec.command,
    input: rows.source.path,
    out: spec.out,
    dryRun: options.dryRun,
    grouping: plan.grouping,
    rows: rows.table.size,
    counts,
    labels,
    users,
    batches: plan.batches.length,
    calls: options.dryRun ? plan.batches.length : (execution?.writes ?? 0),
    apiCalls: (live?.client ?? spec.client)?.meter.calls ?? 0,
    retries: execution?.retries ?? 0,
    elapsedMs: Math.round(elapsedMs),
    pairsPerSecond: options.dryRun ? 0 : Math.round(((counts.removed + counts.added) / elapsedMs) * 1000),
    exitCode,
    stoppedBy: stop?.reason,
    batchSizeCap: execution?.batchSizeCap,
    ...(live?.verification ? { verified: { by: live.verification.by, reads: live.verification.targets, failed: live.verification.failed } } : {}),
    guard: execution?.guard,
    labelIdsIn: execution?.labelIdsIn,
    splitCalls: execution?.splitCalls,
    credits: { ...creditsNeeded(plan, spec, labels), spent: (live?.client ?? spec.client)?.meter.spent ?? 0, remaining: (live?.client ?? spec.client)?.meter.remaining },
  };
  const manifest = await writeManifest(spec, summary, startedAt);
  if (log.json) log.event('run_end', { ...summary, manifest });
  else io.stderr.write(formatSummary(summary));
  if (stop) {
    const unfinished = counts.failed > 0 ? `, ${counts.failed} failed or not finished` : '';
    log.say(`${stopWhat[stop.reason]}: ${counts.deferred} rows not sent (deferred)${unfinished}. ${stop.message}`);
    const back = stop.retryAfterSeconds ? ` after ${new Date(Date.now() + stop.retryAfterSeconds * 1000).toISOString()}` : '';
    if (stop.reason !== 'guard') log.say(`Resume${back} with: ${resumeHint}`);
  }
  for (const note of spec.notes ?? []) log.say(note);
  if (options.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
  return { exitCode, summary };
}
