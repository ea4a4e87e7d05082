import PQueue from 'p-queue';
import type { Batch } from '../plan/plan.js';
import type { JournalEntry } from '../rows/journal.js';
import type { Status } from '../rows/types.js';
import { notSentBecause, notSentMessage, type Stop } from './stop.js';
import type { Finished } from './verdict.js';
import { newWork, type Family, type Work } from './work.js';

/** Where the scheduler sends what it does: every finished call's rows, and a per-call event. */
export interface SchedulerHooks {
  /** Sends one work (a call and what follows from its answer); never throws. */
  attempt: (work: Work) => Promise<void>;
  onFinished: (entry: JournalEntry) => void;
  onCallDone: (batchId: string, rows: number, statuses: Partial<Record<Status, number>>) => void;
}

/**
 * The stateful part of a run, and only that: a p-queue (priorities, a live
 * limit) of works, continuations (priority 1) before untouched batches
 * (priority 0), which are queued lazily so that a million rows never sit in
 * it at once; the count of works not yet settled; waits (retry backoffs);
 * and draining everything when the run stops. It decides nothing.
 */
export class Scheduler {
  readonly #queue: PQueue;
  readonly #hooks: SchedulerHooks;
  readonly #timers = new Map<NodeJS.Timeout, Work>();
  readonly #queued = new Set<Work>();
  #batches: readonly Batch[] = [];
  #skip: ReadonlySet<Batch> = new Set();
  #cursor = 0;
  #pumping = false;
  #live = 0;
  #stop: Stop | undefined;
  #done!: () => void;
  readonly finished = new Promise<void>((resolve) => (this.#done = resolve));

  constructor(concurrency: number, hooks: SchedulerHooks) {
    this.#queue = new PQueue({ concurrency });
    this.#hooks = hooks;
  }

  /** Calls in flight now. */
  get pending(): number {
    return this.#queue.pending;
  }

  set concurrency(n: number) {
    if (this.#queue.concurrency !== n) this.#queue.concurrency = n;
  }

  get stop(): Stop | undefined {
    return this.#stop;
  }

  /** The plan's batches, and those not to feed (the guard sends them itself; the set may grow until `start`). */
  load(batches: readonly Batch[], skip: ReadonlySet<Batch>): void {
    this.#batches = batches;
    this.#skip = skip;
  }

  /** Starts feeding the untouched batches. */
  start(): void {
    this.#pumping = true;
    this.#checkDone();
  }

  /** A new work: counted until settled (with its family, if any). */
  adopt(work: Work): void {
    this.#live += 1;
    if (work.family) work.family.live += 1;
  }

  /** Queues a work; a stopped run settles it at once instead. */
  enqueue(work: Work, priority: number): void {
    if (this.#stop) return this.settleStopped(work);
    this.#queued.add(work);
    void this.#queue.add(() => {
      this.#queued.delete(work);
      return this.#hooks.attempt(work);
    }, { priority });
  }

  /** Queues the work again after `delayMs` (a retry's backoff), as a continuation. */
  later(work: Work, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.enqueue(work, 1);
    }, delayMs);
    this.#timers.set(timer, work);
  }

  /** Sends one batch now, before anything else; resolves, once it and all its parts are settled, with the rows it changed. */
  runFamily(batch: Batch): Promise<number> {
    return new Promise((resolve) => {
      const family: Family = { live: 0, changed: 0, settled: resolve };
      const work = newWork(batch, family);
      this.adopt(work);
      this.enqueue(work, 1);
    });
  }

  /** Records a work's rows as finished and lets it go. */
  settle(work: Work, finished: Finished[]): void {
    this.#record(work, finished);
    this.#release(work);
  }

  /** The work is replaced by its parts, which run before untouched batches. */
  replace(work: Work, parts: Work[]): void {
    for (const p of parts) this.adopt(p);
    for (const p of parts) this.enqueue(p, 1);
    this.#release(work);
  }

  /**
   * Settles a work the run stopped before finishing: `deferred` if it was
   * never sent; else `failed`, saying how often it was sent and what its last
   * attempt came to (a dropped call may have been applied).
   */
  settleStopped(work: Work): void {
    this.#queued.delete(work);
    const why = notSentBecause(this.#stop ?? { reason: 'interrupted', message: '' });
    const rows = [...work.batch.rows];
    if (work.attempts === 0) return this.settle(work, [{ rows, status: 'deferred', http: 0, message: notSentMessage(this.#stop ?? { reason: 'interrupted', message: '' }) }]);
    const message = `not finished: sent ${work.attempts} time(s), last: ${work.last ?? 'unknown'}; the run stopped (${why}) before another attempt; --resume sends it again`;
    this.settle(work, [{ rows, status: 'failed', http: work.lastHttp ?? 0, code: work.lastCode, message }]);
  }

  /**
   * Stops sending: queued and waiting works are settled now, and `parked`
   * ones handed in by the caller; untouched batches are deferred; calls in
   * flight finish. Returns false if the run had already stopped.
   */
  halt(stop: Stop, parked: readonly Work[]): boolean {
    if (this.#stop) return false;
    this.#stop = stop;
    this.#queue.clear();
    for (const work of [...this.#queued]) this.settleStopped(work);
    this.#queued.clear();
    for (const [timer, work] of this.#timers) {
      clearTimeout(timer);
      this.settleStopped(work);
    }
    this.#timers.clear();
    for (const work of parked) this.settleStopped(work);
    const message = notSentMessage(stop);
    for (; this.#cursor < this.#batches.length; this.#cursor += 1) {
      const batch = this.#batches[this.#cursor]!;
      if (!this.#skip.has(batch)) this.#record(newWork(batch), [{ rows: [...batch.rows], status: 'deferred', http: 0, message }]);
    }
    this.#checkDone();
    return true;
  }

  #record(work: Work, finished: Finished[]): void {
    const at = Date.now();
    const statuses: Partial<Record<Status, number>> = {};
    for (const f of finished) {
      if (f.rows.length === 0) continue;
      statuses[f.status] = (statuses[f.status] ?? 0) + f.rows.length;
      if (work.family && (f.status === 'removed' || f.status === 'added')) work.family.changed += f.rows.length;
      this.#hooks.onFinished({ rows: f.rows, status: f.status, http: f.http || undefined, code: f.code, message: f.message, attempts: work.attempts, batch: work.batch.id, at });
    }
    this.#hooks.onCallDone(work.batch.id, work.batch.rows.length, statuses);
  }

  #release(work: Work): void {
    if (work.done) return;
    work.done = true;
    this.#live -= 1;
    if (work.family && --work.family.live === 0) work.family.settled(work.family.changed);
    this.#checkDone();
  }

  /** Tops the queue up with untouched batches (at most as many waiting as may run at once). */
  #pump(): void {
    while (!this.#stop && this.#cursor < this.#batches.length && this.#queue.size < this.#queue.concurrency) {
      const batch = this.#batches[this.#cursor++]!;
      if (this.#skip.has(batch)) continue;
      const work = newWork(batch);
      this.adopt(work);
      this.enqueue(work, 0);
    }
  }

  #checkDone(): void {
    if (!this.#pumping) return;
    this.#pump();
    if (this.#live === 0 && (this.#cursor >= this.#batches.length || this.#stop)) this.#done();
  }
}
