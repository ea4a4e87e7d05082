// A run's second step, when it sends: confirm, a token, the journal, the
// executor, and --verify.
import { ZdlabelsError } from '../errors/ZdlabelsError.js';
import { TokenRefreshError } from '../errors/TokenRefreshError.js';
import { artifactsFor } from '../files/artifacts.js';
import type { Io } from '../io.js';
import type { Logger } from '../log.js';
import type { Plan } from '../plan/plan.js';
import { Journal } from '../rows/journal.js';
import type { ZohoClient } from '../zoho/client.js';
import { clientFor } from '../clientFor.js';
import type { ExecutionResult, RunEvent } from './execution.js';
import { execute } from './executor.js';
import type { FlowSpec } from './flow.js';
import { startProgress } from './progress.js';
import type { Stop } from './stop.js';
import { verifyOutcomes, type VerifyResult } from './verify.js';

/** Logs a run event. On a terminal the "stopping" line waits for the summary: the progress bar holds the line (and wrap) until then. */
function logEvent(log: Logger, e: RunEvent, onTerminal: boolean): void {
  const { type, ...fields } = e;
  if (e.type === 'stop') log.event('stop', fields, { line: `stopping: ${e.message}`, always: !onTerminal });
  else if (e.type === 'call_done') log.event('batch_done', fields, { line: `batch ${e.batchId}: ${JSON.stringify(e.statuses)}` });
  else if (e.type === 'guard' || e.type === 'labelids' || e.type === 'lesson') log.event(type, fields, { line: `${type}: ${JSON.stringify(fields)}` });
  else log.event(type, fields);
}

export interface LiveRun {
  execution: ExecutionResult | undefined;
  verification: VerifyResult | undefined;
  client: ZohoClient;
}

/**
 * A token before any write: a token issued for another data centre stops the
 * run here (a ConfigError, exit 2); a refused refresh becomes a stop that
 * defers every row (exit 3).
 */
async function tokenFirst(client: ZohoClient): Promise<Stop | undefined> {
  try {
    await client.tokens.get();
    return undefined;
  } catch (error) {
    if (!(error instanceof TokenRefreshError)) throw error;
    return { reason: 'auth', message: error.message };
  }
}

/** Runs the executor with the journal open and progress shown, every finished call's rows recorded at once. */
async function send(spec: FlowSpec, plan: Plan, pending: number, journal: Journal, client: ZohoClient, stoppedBefore: Stop | undefined, resumed: boolean, io: Io, log: Logger): Promise<ExecutionResult> {
  const { options, rows } = spec;
  const progress = log.json ? { tick: () => {}, stop: () => {} } : startProgress(io.stderr, pending);
  let finished = 0;
  try {
    return await execute(plan, {
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
      rowsHeldAtStart: spec.rowsHeldAtStart,
      heldRows: rows.heldAtStart,
      resumed,
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
}

/** Sends the plan: confirm, a token, the journal, the executor, then --verify. */
export async function runLive(spec: FlowSpec, plan: Plan, pending: number, resumed: boolean, startedAt: string, io: Io, log: Logger): Promise<LiveRun> {
  const { options, rows } = spec;
  const client = spec.client ?? clientFor(io, options, log);
  if (pending === 0) return { execution: undefined, verification: undefined, client };
  if (spec.confirm && !(await spec.confirm(plan, pending))) {
    throw new ZdlabelsError('SAFETY_LIMIT', 'not confirmed: nothing was sent. Pass --yes to run without asking (cron, CI).');
  }
  const stoppedBefore = await tokenFirst(client);
  const { journal: path } = artifactsFor(spec.out);
  log.event('run_start', { command: spec.command, job: options.job ?? null, input: rows.source.path, out: spec.out, rows: rows.table.size, pending, batches: plan.batches.length, grouping: plan.grouping });
  const journal = resumed ? Journal.append(path) : Journal.create(path, { command: spec.command, input: rows.source.path, sha256: rows.source.sha256, rows: rows.table.size, startedAt });
  const execution = await send(spec, plan, pending, journal, client, stoppedBefore, resumed, io, log);
  let verification: VerifyResult | undefined;
  if (options.verify && !execution.stop) {
    verification = await verifyOutcomes(client, rows.table, rows.outcomes, { action: spec.action, concurrency: options.concurrency, helpCenterId: options.helpCenterId });
    for (const m of verification.marks) rows.outcomes.setVerified(m.row, m.ok, m.why);
  }
  return { execution, verification, client };
}
