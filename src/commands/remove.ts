import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ZdlabelsError } from '../errors/ZdlabelsError.js';
import { InputError } from '../errors/InputError.js';
import { UsageError } from '../errors/UsageError.js';
import { exitCodes } from '../exitCodes.js';
import type { Io } from '../io.js';
import { planBatches, type Grouping } from '../plan/plan.js';
import { Journal, readJournal } from '../rows/journal.js';
import { readPairs } from '../rows/readPairs.js';
import { writeResults } from '../rows/results.js';
import { doneStatuses, finalStatuses, type Outcome, type Pair } from '../rows/types.js';
import { execute, type RunEvent } from '../run/executor.js';
import { startProgress } from '../run/progress.js';
import { countStatuses, formatSummary, type RunSummary } from '../run/summary.js';
import { ZohoClient } from '../zoho/client.js';
import { configFromEnv } from '../zoho/config.js';

export interface RemoveOptions {
  input: string;
  out?: string | undefined;
  by: Grouping;
  dryRun: boolean;
  concurrency: number;
  batchSize: number;
  retries: number;
  resume: boolean;
  maxRemovals?: number | undefined;
  helpCenterId?: string | undefined;
  verbose: boolean;
  json: boolean;
  timeoutMs?: number | undefined;
  /** First retry delay; small in tests. */
  retryBaseMs?: number | undefined;
}

function integer(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new UsageError(`Expected --${name} to be an integer ≥ ${min}, got \`${String(value)}\``);
  }
  return value;
}

/** Checks every option before anything is read or sent. */
export function validateRemoveOptions(o: RemoveOptions): void {
  integer('concurrency', o.concurrency, 1);
  integer('batch-size', o.batchSize, 1);
  integer('retries', o.retries, 0);
  if (o.maxRemovals !== undefined) integer('max-removals', o.maxRemovals, 0);
  if (o.helpCenterId !== undefined && !/^\d+$/.test(o.helpCenterId)) {
    throw new UsageError(`Expected --help-center-id to be a Zoho ID (digits only), got \`${o.helpCenterId}\``);
  }
  if (o.dryRun && o.resume) throw new UsageError('--dry-run and --resume do not go together: a dry run sends nothing to resume');
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export const defaultOut = (input: string): string => `${input.replace(/\.csv$/i, '')}.results.csv`;

/** `zdlabels remove`: the whole flow, read → plan → run → record → report. */
export async function removeCommand(options: RemoveOptions, io: Io): Promise<number> {
  validateRemoveOptions(options);
  const started = performance.now();
  const input = resolve(io.cwd, options.input);
  const out = resolve(io.cwd, options.out ?? defaultOut(options.input));
  const journalPath = `${out}.journal`;

  const { rows } = await readPairs(input);
  const digest = await sha256(input);
  const outcomes = new Map<number, Outcome>();
  const now = () => new Date().toISOString();
  for (const r of rows) {
    if (r.problem) {
      outcomes.set(r.row, { row: r.row, userId: r.userId, labelId: r.labelId, status: r.problem.status, message: `line ${r.line}: ${r.problem.message}`, attempts: 0, finishedAt: now() });
    }
  }
  if (options.resume) {
    const journal = await readJournal(journalPath);
    if (journal.header.sha256 !== digest || journal.header.rows !== rows.length) {
      throw new InputError(journalPath, 1, `this journal was written for another version of the input (${journal.header.input}); run without --resume, or give --out of the run to resume`);
    }
    for (const [row, o] of journal.outcomes) if (finalStatuses.has(o.status)) outcomes.set(row, o);
    if (journal.skipped > 0) io.stderr.write(`resume: skipped ${journal.skipped} torn line(s) of ${journalPath}\n`);
  }

  const pending: Pair[] = rows.filter((r) => !outcomes.has(r.row)).map(({ row, userId, labelId }) => ({ row, userId, labelId }));
  const pairs = new Map(rows.map((r) => [r.row, { row: r.row, userId: r.userId, labelId: r.labelId }]));
  const plan = planBatches(pending, options.by, options.batchSize);
  const labels = new Set(pending.map((p) => p.labelId)).size;
  const users = new Set(pending.map((p) => p.userId)).size;

  if (options.maxRemovals !== undefined && pending.length > options.maxRemovals) {
    throw new ZdlabelsError(
      'SAFETY_LIMIT',
      `the plan removes ${pending.length} pairs, more than --max-removals ${options.maxRemovals}; nothing was sent. Check the input, or raise --max-removals if this is intended.`,
    );
  }

  let calls = 0;
  let retries = 0;
  let stop: Awaited<ReturnType<typeof execute>>['stop'];
  let batchSizeCap: number | undefined;
  if (options.dryRun) {
    const batchOf = new Map(plan.batches.flatMap((b) => b.rows.map((r) => [r, b.id] as const)));
    for (const p of pending) outcomes.set(p.row, { ...p, status: 'planned', attempts: 0, batchId: batchOf.get(p.row), finishedAt: now() });
    calls = plan.batches.length;
  } else {
    if (existsSync(journalPath) && !options.resume) io.stderr.write(`note: replacing the journal of an earlier run at ${journalPath} (use --resume to continue it instead)\n`);
    const config = configFromEnv(io.env);
    const client = new ZohoClient({
      config,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      onCall: options.verbose
        ? (e) => io.stderr.write(`${e.method} ${e.path} ${e.status ?? e.errorCode ?? '-'} ${Math.round(e.ms)}ms${e.ids.length ? ` ids=${e.ids.join(',')}` : ''}\n`)
        : undefined,
    });
    const journal = options.resume ? Journal.append(journalPath) : Journal.create(journalPath, { input, sha256: digest, rows: rows.length, startedAt: now() });
    if (!options.resume) journal.record([...outcomes.values()]);
    const progress = startProgress(io.stderr, pending.length);
    let finished = 0;
    const onEvent = (e: RunEvent): void => {
      if (options.verbose && e.type !== 'batch') io.stderr.write(`${JSON.stringify(e)}\n`);
      if (e.type === 'stop') io.stderr.write(`stopping: ${e.message}\n`);
    };
    try {
      const result = await execute(plan.batches, pairs, {
        client,
        concurrency: options.concurrency,
        retries: options.retries,
        helpCenterId: options.helpCenterId,
        ...(options.retryBaseMs === undefined ? {} : { retryBaseMs: options.retryBaseMs }),
        onOutcomes: (batch) => {
          journal.record(batch);
          for (const o of batch) outcomes.set(o.row, o);
          finished += batch.length;
          progress.tick(finished, calls);
        },
        onEvent,
      });
      ({ calls, retries, stop, batchSizeCap } = result);
    } finally {
      progress.stop();
      journal.close();
    }
  }

  await writeResults(out, [...outcomes.values()]);
  const counts = countStatuses(outcomes.values());
  const allDone = [...outcomes.values()].every((o) => doneStatuses.has(o.status));
  const exitCode = stop?.reason === 'auth' ? exitCodes.auth : stop?.reason === 'credits' ? exitCodes.creditsExhausted : allDone ? exitCodes.ok : exitCodes.someRowsNotDone;
  const elapsedMs = performance.now() - started;
  const summary: RunSummary = {
    command: 'remove',
    input,
    out,
    dryRun: options.dryRun,
    grouping: plan.grouping,
    rows: rows.length,
    counts,
    labels,
    users,
    batches: plan.batches.length,
    calls,
    retries,
    elapsedMs: Math.round(elapsedMs),
    pairsPerSecond: options.dryRun ? 0 : Math.round((counts.removed / elapsedMs) * 1000),
    exitCode,
    stoppedBy: stop?.reason,
    batchSizeCap,
  };
  io.stderr.write(formatSummary(summary));
  if (stop) {
    const what = stop.reason === 'auth' ? 'Authentication was refused' : "The organization's API credits for the day ran out";
    io.stderr.write(`${what}: ${counts.deferred} rows deferred. ${stop.error.message}\n`);
    const back = stop.retryAfterSeconds ? ` after ${new Date(Date.now() + stop.retryAfterSeconds * 1000).toISOString()}` : '';
    io.stderr.write(`Resume${back} with: zdlabels remove ${options.input} --resume${options.out ? ` --out ${options.out}` : ''}\n`);
  }
  if (options.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
  return exitCode;
}
