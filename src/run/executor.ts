import pRetry from 'p-retry';
import { TokenRefreshError } from '../errors/TokenRefreshError.js';
import { ZohoApiError } from '../errors/ZohoApiError.js';
import { halve, splitBatch, type Batch } from '../plan/plan.js';
import type { Outcome, Pair, Status } from '../rows/types.js';
import type { ZohoClient } from '../zoho/client.js';
import type { MassActionResponse } from '../zoho/types.js';
import { Throttle, type ThrottleEvent } from './throttle.js';

export type RunEvent =
  | ThrottleEvent
  | { type: 'retry'; batchId: string; attempt: number; error: string; delayHint: string }
  | { type: 'split'; batchId: string; reason: 'bad_ids' | 'too_large'; parts: number; batchSize?: number }
  | { type: 'batch'; batchId: string; rows: number; statuses: Partial<Record<Status, number>> }
  | { type: 'stop'; reason: StopReason; message: string };

export type StopReason = 'auth' | 'credits' | 'interrupted';

export interface ExecutorOptions {
  client: ZohoClient;
  /** `remove` takes pairs off (the default); `add` puts them back, label-side batches only (restore). */
  action?: 'remove' | 'add';
  concurrency: number;
  retries: number;
  helpCenterId?: string | undefined;
  /** First retry delay in ms (doubles, with jitter); tests make it small. */
  retryBaseMs?: number;
  /** Called with the outcomes of each batch as it finishes (the journal), and the calls made so far. */
  onOutcomes: (outcomes: Outcome[], progress: { calls: number }) => void;
  onEvent?: (event: RunEvent) => void;
  /** Resolves when the user interrupts: nothing more is sent, calls in flight finish, the rest is deferred. */
  interrupted?: Promise<void> | undefined;
}

export interface ExecutionResult {
  outcomes: Outcome[];
  /** Set when the run stopped early: what stopped it. */
  stop: { reason: StopReason; error: Error; retryAfterSeconds?: number | undefined } | undefined;
  calls: number;
  retries: number;
  batchSizeCap: number | undefined;
}

class Stopped extends Error {}
/** The batch is larger than a size Zoho refused since it was queued. */
class Oversized extends Error {}

/**
 * Runs the batches: bounded concurrency, retries with backoff, isolation of
 * bad IDs by bisection, smaller batches after a size refusal, and a clean stop
 * (the rest deferred) when auth is refused or the day's credits run out.
 */
export async function execute(batches: Batch[], pairs: ReadonlyMap<number, Pair>, options: ExecutorOptions): Promise<ExecutionResult> {
  const throttle = new Throttle(options.concurrency, {
    isTooMany: (e) => e instanceof ZohoApiError && e.status === 429 && e.kind === 'retryable',
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  const attempts = new Map<number, number>();
  const all: Outcome[] = [];
  let stop: ExecutionResult['stop'];
  let calls = 0;
  let retries = 0;
  let cap: number | undefined;

  // One clock read per millisecond at most: 20 000 rows need not build 20 000 dates.
  let clock = { at: 0, iso: '' };
  const stamp = (): string => {
    const now = Date.now();
    if (now !== clock.at) clock = { at: now, iso: new Date(now).toISOString() };
    return clock.iso;
  };
  const outcome = (row: number, status: Status, batchId: string | undefined, extra: Partial<Outcome> = {}): Outcome => {
    const p = pairs.get(row)!;
    return { row, userId: p.userId, labelId: p.labelId, status, attempts: attempts.get(row) ?? 0, batchId, finishedAt: stamp(), ...extra };
  };
  const fromError = (e: ZohoApiError) => ({ httpStatus: e.status, errorCode: e.errorCode, message: e.message });

  /** One call, through the gate, with retries for retryable failures. */
  const send = (batch: Batch): Promise<MassActionResponse | undefined> =>
    pRetry(
      () =>
        throttle.run(async () => {
          if (stop) throw new Stopped();
          if (cap !== undefined && batch.ids.length > cap) throw new Oversized();
          calls += 1;
          for (const r of batch.rows) attempts.set(r, (attempts.get(r) ?? 0) + 1);
          try {
            return await call(batch);
          } catch (e) {
            // Act before this slot is handed to the next call.
            halt(e);
            if (e instanceof ZohoApiError && e.kind === 'too_large') shrink(batch);
            throw e;
          }
        }),
      {
        retries: options.retries,
        factor: 2,
        minTimeout: options.retryBaseMs ?? 500,
        maxTimeout: 30_000,
        randomize: true,
        shouldRetry: ({ error }) => error instanceof ZohoApiError && error.kind === 'retryable' && !stop,
        // "Too many at once" is ours to fix by slowing down (the throttle does), not the call's fault:
        // it costs no retry, within a bound of time.
        shouldConsumeRetry: ({ error }) => !(error instanceof ZohoApiError && error.errorCode === 'TOO_MANY_REQUESTS'),
        maxRetryTime: 10 * 60_000,
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          if (error instanceof ZohoApiError && error.kind === 'retryable' && retriesLeft > 0) {
            retries += 1;
            options.onEvent?.({ type: 'retry', batchId: batch.id, attempt: attemptNumber, error: error.message, delayHint: `${retriesLeft} left` });
          }
        },
      },
    );

  const call = async (batch: Batch): Promise<MassActionResponse | undefined> => {
    if (batch.by === 'user') {
      if (options.action === 'add') throw new TypeError('adding is planned by label only');
      return options.client.call('removeLabelsFromUser', {
        path: { userId: batch.key },
        query: options.helpCenterId === undefined ? {} : { helpCenterId: options.helpCenterId },
        body: { labelIds: batch.ids },
      });
    }
    await options.client.call(options.action === 'add' ? 'addUsersToLabel' : 'removeUsersFromLabel', { path: { labelId: batch.key }, body: { userIds: batch.ids } });
    return undefined;
  };

  /** Runs a batch to the end, returning one outcome per row. */
  const runBatch = async (batch: Batch): Promise<Outcome[]> => {
    if (stop) return batch.rows.map((r) => outcome(r, 'deferred', batch.id, { message: deferredMessage() }));
    if (cap !== undefined && batch.ids.length > cap) return runParts(splitBatch(batch, cap));
    let answer: MassActionResponse | undefined;
    try {
      answer = await send(batch);
    } catch (e) {
      return failure(batch, e);
    }
    if (batch.by === 'label') return batch.rows.map((r) => outcome(r, options.action === 'add' ? 'added' : 'removed', batch.id, { httpStatus: 204 }));
    // By user: a 200 whose per-ID results can differ; each lands on its own row.
    return batch.ids.map((labelId, i) => {
      const row = batch.rows[i]!;
      const result = answer?.results.find((x) => x.id === labelId);
      if (!result) return outcome(row, 'failed', batch.id, { httpStatus: 200, message: `Zoho's answer has no result for label ${labelId}` });
      if (result.success) return outcome(row, 'removed', batch.id, { httpStatus: 200 });
      const http = Number(result.errors?.httpCode ?? NaN);
      const code = result.errors?.errorCode ?? undefined;
      const notFound = http === 404 || http === 422 || code === 'INVALID_DATA' || code === 'UNPROCESSABLE_ENTITY';
      return outcome(row, notFound ? 'not_found' : 'failed', batch.id, {
        httpStatus: Number.isFinite(http) ? http : 200,
        errorCode: code,
        message: result.errors?.error ?? 'refused by Zoho',
      });
    });
  };

  const runParts = async (parts: Batch[]): Promise<Outcome[]> => {
    const out: Outcome[] = [];
    // Parts run one after another inside the parent's turn: a bisection never widens concurrency.
    for (const part of parts) out.push(...(await runBatch(part)));
    return out;
  };

  const deferredMessage = (): string =>
    stop?.reason === 'credits'
      ? `not sent: the organization's API credits for the day ran out${stop.retryAfterSeconds ? ` (back in about ${Math.ceil(stop.retryAfterSeconds / 60)} min)` : ''}; run again with --resume then`
      : stop?.reason === 'interrupted'
        ? 'not sent: the run was interrupted; run again with --resume'
        : 'not sent: the run stopped because authentication was refused; fix it and run again with --resume';

  void options.interrupted?.then(() => {
    if (stop) return;
    stop = { reason: 'interrupted', error: new Error('interrupted by a signal (Ctrl-C or SIGTERM): calls in flight finished, nothing more was sent') };
    options.onEvent?.({ type: 'stop', reason: 'interrupted', message: stop.error.message });
  });

  /** Zoho refused the batch for its size: every batch from now on is at most half of it. */
  const shrink = (batch: Batch): void => {
    if (batch.ids.length > 1) cap = Math.max(1, Math.min(cap ?? Infinity, Math.floor(batch.ids.length / 2)));
  };

  /** Auth refused or credits spent: nothing more is sent. */
  const halt = (e: unknown): boolean => {
    if (!(e instanceof TokenRefreshError || (e instanceof ZohoApiError && (e.kind === 'auth' || e.kind === 'credits')))) return false;
    if (!stop) {
      const reason = e instanceof ZohoApiError && e.kind === 'credits' ? 'credits' : 'auth';
      stop = { reason, error: e, retryAfterSeconds: e instanceof ZohoApiError ? e.retryAfterSeconds : undefined };
      options.onEvent?.({ type: 'stop', reason, message: e.message });
    }
    return true;
  };

  const failure = async (batch: Batch, e: unknown): Promise<Outcome[]> => {
    if (e instanceof Stopped) return batch.rows.map((r) => outcome(r, 'deferred', batch.id, { message: deferredMessage() }));
    if (e instanceof Oversized) return runParts(splitBatch(batch, cap!));
    if (halt(e)) {
      return batch.rows.map((r) => outcome(r, 'deferred', batch.id, { message: deferredMessage(), ...(e instanceof ZohoApiError ? { httpStatus: e.status, errorCode: e.errorCode } : {}) }));
    }
    if (!(e instanceof ZohoApiError)) throw e;
    if (e.kind === 'too_large' && batch.ids.length > 1) {
      const size = cap ?? Math.floor(batch.ids.length / 2);
      const parts = splitBatch(batch, size);
      options.onEvent?.({ type: 'split', batchId: batch.id, reason: 'too_large', parts: parts.length, batchSize: size });
      return runParts(parts);
    }
    if (e.kind === 'not_found') {
      if (e.status === 404 && (await keyMissing(batch))) {
        const what = batch.by === 'label' ? `label ${batch.key}` : `user ${batch.key}`;
        return batch.rows.map((r) => outcome(r, 'not_found', batch.id, { ...fromError(e), message: `${what} does not exist in this organization` }));
      }
      if (batch.ids.length > 1) {
        const parts = halve(batch);
        options.onEvent?.({ type: 'split', batchId: batch.id, reason: 'bad_ids', parts: parts.length });
        return runParts(parts);
      }
      return batch.rows.map((r) => outcome(r, 'not_found', batch.id, fromError(e)));
    }
    const gaveUp = e.kind === 'retryable' ? ` (gave up after ${options.retries + 1} attempts)` : '';
    return batch.rows.map((r) => outcome(r, 'failed', batch.id, { ...fromError(e), message: `${e.message}${gaveUp}` }));
  };

  /** After a 404, whether the path's label or user itself is missing (then no bisection is needed). */
  const keyMissing = async (batch: Batch): Promise<boolean> => {
    try {
      await throttle.run(async () => {
        calls += 1;
        if (batch.by === 'label') await options.client.call('getLabel', { path: { labelId: batch.key } });
        else await options.client.call('getUser', { path: { userId: batch.key } });
      });
      return false;
    } catch (e) {
      return e instanceof ZohoApiError && e.kind === 'not_found';
    }
  };

  await Promise.all(
    batches.map(async (batch) => {
      const outcomes = await runBatch(batch);
      all.push(...outcomes);
      options.onOutcomes(outcomes, { calls });
      const counts: Partial<Record<Status, number>> = {};
      for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
      options.onEvent?.({ type: 'batch', batchId: batch.id, rows: outcomes.length, statuses: counts });
    }),
  );
  return { outcomes: all, stop, calls, retries, batchSizeCap: cap };
}
