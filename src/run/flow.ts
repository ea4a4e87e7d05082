import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ZdlabelsError } from '../errors/ZdlabelsError.js';
import { InputError } from '../errors/InputError.js';
import { UsageError } from '../errors/UsageError.js';
import { exitCodes } from '../exitCodes.js';
import type { Io } from '../io.js';
import { loggerFor, type Logger } from '../log.js';
import { planBatches, type Grouping, type Plan } from '../plan/plan.js';
import { Journal, readJournal } from '../rows/journal.js';
import { writeResults } from '../rows/results.js';
import { doneStatuses, finalStatuses, type InputRow, type Outcome, type Pair } from '../rows/types.js';
import { ZohoClient } from '../zoho/client.js';
import { configFromEnv, type EnvNames } from '../zoho/config.js';
import { execute, type ExecutionResult, type RunEvent } from './executor.js';
import { startProgress } from './progress.js';
import { countStatuses, formatSummary, type RunSummary } from './summary.js';
import { verifyOutcomes } from './verify.js';
import { toolVersion } from '../version.js';

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
  timeoutMs?: number | undefined;
  retryBaseMs?: number | undefined;
  /** Where the credentials are when not the default ZOHO_* names (job files). */
  envNames?: Partial<EnvNames> | undefined;
  /** The job's name, when run from a job file. */
  job?: string | undefined;
}

export interface FlowSpec {
  command: string;
  action: 'remove' | 'add';
  rows: InputRow[];
  /** What the rows came from, tying a journal to it. */
  source: { path: string; sha256: string };
  out: string;
  options: RunOptions;
  /** Asked after planning, before the first write; false refuses (exit 5). */
  confirm?: ((plan: Plan, pending: Pair[]) => Promise<boolean>) | undefined;
  /** The command line that resumes this run. */
  resumeHint: string;
  /** Lines printed after the summary. */
  notes?: string[] | undefined;
  /** The client to use (commands that read before writing share theirs). */
  client?: ZohoClient | undefined;
}

export interface FlowResult {
  exitCode: number;
  summary: RunSummary;
  outcomes: Outcome[];
}

/** A client from the environment, logging calls (with --verbose) and token refreshes. */
export function clientFor(io: Io, options: Pick<RunOptions, 'verbose' | 'timeoutMs' | 'envNames'>, log: Logger = loggerFor(io, options.verbose)): ZohoClient {
  const config = configFromEnv(io.env, options.envNames ? { names: options.envNames } : {});
  return new ZohoClient({
    config,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    onCall: options.verbose
      ? (e) =>
          log.event('call', { method: e.method, path: e.path, status: e.status, errorCode: e.errorCode, ms: Math.round(e.ms), ids: e.ids }, {
            line: `${e.method} ${e.path} ${e.status ?? e.errorCode ?? '-'} ${Math.round(e.ms)}ms${e.ids.length ? ` ids=${e.ids.join(',')}` : ''}`,
          })
      : undefined,
    onTokenRefresh: () => log.event('token_refresh', {}),
  });
}

/** The run manifest: what ran, on what, with which options, and how it ended. Beside the results. */
async function writeManifest(spec: FlowSpec, summary: RunSummary, startedAt: string): Promise<string> {
  const path = `${spec.out.replace(/\.csv$/i, '')}.manifest.json`;
  const { envNames: _names, ...options } = spec.options;
  const manifest = {
    job: spec.options.job ?? null,
    command: spec.command,
    toolVersion,
    input: spec.source.path,
    inputSha256: spec.source.sha256,
    results: spec.out,
    options,
    startedAt,
    endedAt: new Date().toISOString(),
    rows: summary.rows,
    counts: summary.counts,
    calls: summary.calls,
    retries: summary.retries,
    exitCode: summary.exitCode,
    stoppedBy: summary.stoppedBy ?? null,
  };
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(temp, path);
  return path;
}

/**
 * The flow every writing command shares: rows → plan → run → journal →
 * results → summary and exit code. Commands differ only in where rows come from.
 */
export async function runFlow(spec: FlowSpec, io: Io): Promise<FlowResult> {
  const { options } = spec;
  const log = loggerFor(io, options.verbose);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  if (spec.out === spec.source.path) {
    throw new UsageError(`--out ${spec.out} is the input itself: the results would overwrite it; choose another file`);
  }
  const journalPath = `${spec.out}.journal`;
  // The journal, results and manifest all go beside --out.
  await mkdir(dirname(spec.out), { recursive: true });
  const outcomes = new Map<number, Outcome>();
  for (const r of spec.rows) {
    if (r.problem) {
      outcomes.set(r.row, { row: r.row, userId: r.userId, labelId: r.labelId, status: r.problem.status, message: `line ${r.line}: ${r.problem.message}`, attempts: 0, finishedAt: startedAt });
    }
  }
  if (options.resume) {
    const journal = await readJournal(journalPath);
    if (journal.header.sha256 !== spec.source.sha256 || journal.header.rows !== spec.rows.length) {
      throw new InputError(journalPath, 1, `this journal was written for another version of the input (${journal.header.input}); run without --resume, or give --out of the run to resume`);
    }
    for (const [row, o] of journal.outcomes) if (finalStatuses.has(o.status)) outcomes.set(row, o);
    if (journal.skipped > 0) log.say(`resume: skipped ${journal.skipped} torn line(s) of ${journalPath}`);
  }

  const pending: Pair[] = spec.rows.filter((r) => !outcomes.has(r.row)).map(({ row, userId, labelId }) => ({ row, userId, labelId }));
  const pairs = new Map(spec.rows.map((r) => [r.row, { row: r.row, userId: r.userId, labelId: r.labelId }]));
  const plan = planBatches(pending, spec.action === 'add' ? 'label' : options.by, options.batchSize);

  if (spec.action === 'remove' && options.maxRemovals !== undefined && pending.length > options.maxRemovals) {
    throw new ZdlabelsError(
      'SAFETY_LIMIT',
      `the plan removes ${pending.length} pairs, more than --max-removals ${options.maxRemovals}; nothing was sent. Check the input, or raise --max-removals if this is intended.`,
    );
  }

  let run: Pick<ExecutionResult, 'calls' | 'retries' | 'stop' | 'batchSizeCap'> = { calls: 0, retries: 0, stop: undefined, batchSizeCap: undefined };
  let verification: Awaited<ReturnType<typeof verifyOutcomes>> | undefined;
  if (options.dryRun) {
    const batchOf = new Map(plan.batches.flatMap((b) => b.rows.map((r) => [r, b.id] as const)));
    for (const p of pending) outcomes.set(p.row, { ...p, status: 'planned', attempts: 0, batchId: batchOf.get(p.row), finishedAt: startedAt });
    run.calls = plan.batches.length;
  } else {
    const client = spec.client ?? clientFor(io, options, log);
    if (pending.length > 0 && spec.confirm && !(await spec.confirm(plan, pending))) {
      throw new ZdlabelsError('SAFETY_LIMIT', 'not confirmed: nothing was sent. Pass --yes to run without asking (cron, CI).');
    }
    if (existsSync(journalPath) && !options.resume) log.say(`note: replacing the journal of an earlier run at ${journalPath} (use --resume to continue it instead)`);
    log.event('run_start', { command: spec.command, job: options.job ?? null, input: spec.source.path, out: spec.out, rows: spec.rows.length, pending: pending.length, batches: plan.batches.length, grouping: plan.grouping });
    const journal = options.resume ? Journal.append(journalPath) : Journal.create(journalPath, { input: spec.source.path, sha256: spec.source.sha256, rows: spec.rows.length, startedAt });
    if (!options.resume) journal.record([...outcomes.values()]);
    const progress = log.json ? { tick: () => {}, stop: () => {} } : startProgress(io.stderr, pending.length);
    let finished = 0;
    const onEvent = (e: RunEvent): void => {
      const { type, ...fields } = e;
      if (e.type === 'stop') log.event('stop', fields, { line: `stopping: ${e.message}`, always: true });
      else if (e.type === 'batch') log.event('batch_done', fields, { line: `batch ${e.batchId}: ${JSON.stringify(e.statuses)}` });
      else log.event(type, fields);
    };
    try {
      run = await execute(plan.batches, pairs, {
        client,
        action: spec.action,
        concurrency: options.concurrency,
        retries: options.retries,
        helpCenterId: options.helpCenterId,
        ...(options.retryBaseMs === undefined ? {} : { retryBaseMs: options.retryBaseMs }),
        interrupted: io.interrupted(),
        onOutcomes: (batch, { calls }) => {
          journal.record(batch);
          for (const o of batch) outcomes.set(o.row, o);
          finished += batch.length;
          progress.tick(finished, calls);
        },
        onEvent,
      });
    } finally {
      progress.stop();
      journal.close();
    }
    if (options.verify && !run.stop) {
      verification = await verifyOutcomes(client, [...outcomes.values()], { action: spec.action, concurrency: options.concurrency, helpCenterId: options.helpCenterId });
    }
  }

  const all = [...outcomes.values()];
  await writeResults(spec.out, all, { verify: options.verify });
  const counts = countStatuses(all);
  const allDone = all.every((o) => doneStatuses.has(o.status) && o.verified !== 'no');
  const { stop } = run;
  const exitCode = stop?.reason === 'auth' ? exitCodes.auth : stop?.reason === 'credits' ? exitCodes.creditsExhausted : allDone ? exitCodes.ok : exitCodes.someRowsNotDone;
  const elapsedMs = performance.now() - started;
  const changed = counts.removed + counts.added;
  const summary: RunSummary = {
    command: spec.command,
    input: spec.source.path,
    out: spec.out,
    dryRun: options.dryRun,
    grouping: plan.grouping,
    rows: spec.rows.length,
    counts,
    labels: new Set(pending.map((p) => p.labelId)).size,
    users: new Set(pending.map((p) => p.userId)).size,
    batches: plan.batches.length,
    calls: run.calls,
    retries: run.retries,
    elapsedMs: Math.round(elapsedMs),
    pairsPerSecond: options.dryRun ? 0 : Math.round((changed / elapsedMs) * 1000),
    exitCode,
    stoppedBy: stop?.reason,
    batchSizeCap: run.batchSizeCap,
    ...(verification ? { verified: { by: verification.by, reads: verification.targets, failed: verification.failed } } : {}),
  };
  const manifest = await writeManifest(spec, summary, startedAt);
  if (log.json) log.event('run_end', { ...summary, manifest });
  else io.stderr.write(formatSummary(summary));
  if (stop) {
    const what = { auth: 'Authentication was refused', credits: "The organization's API credits for the day ran out", interrupted: 'Interrupted' }[stop.reason];
    log.say(`${what}: ${counts.deferred} rows deferred. ${stop.error.message}`);
    const back = stop.retryAfterSeconds ? ` after ${new Date(Date.now() + stop.retryAfterSeconds * 1000).toISOString()}` : '';
    log.say(`Resume${back} with: ${spec.resumeHint}`);
  }
  for (const note of spec.notes ?? []) log.say(note);
  if (options.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
  return { exitCode, summary, outcomes: all };
}
