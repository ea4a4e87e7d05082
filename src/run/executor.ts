import PQueue from 'p-queue';
import { BudgetError } from '../errors/BudgetError.js';
import { ZohoApiError } from '../errors/ZohoApiError.js';
import { ZdlabelsError } from '../errors/ZdlabelsError.js';
import { halve, splitBatch, without, type Batch, type Plan } from '../plan/plan.js';
import type { JournalEntry } from '../rows/journal.js';
import { labelIdOf, userIdOf, type RowTable } from '../rows/table.js';
import type { Status } from '../rows/types.js';
import type { ZohoClient } from '../zoho/client.js';
import type { MassActionResponse } from '../zoho/types.js';
import { Evidence, type Refusal } from './evidence.js';
import { runGuard, type GuardReport } from './guard.js';
import { Lessons, type HalfOutcome } from './learning.js';
import { describeFailure, notSentBecause, type Stop, type StopReason } from './stop.js';
import { ConcurrencyLearner, type ThrottleEvent } from './throttle.js';
import { judgeByUser, judgeRefusal, refusalSignature, type Finished, type RefusalVerdict, type SentBatch } from './verdict.js';
import { newWork, partOf, type Family, type Work } from './work.js';

export type RunEvent =
  | ThrottleEvent
  | { type: 'retry'; batchId: string; attempt: number; error: string; free: boolean; delayMs: number }
  | { type: 'split'; batchId: string; reason: 'unclear' | 'too_large' | 'named'; parts: number; batchSize?: number | undefined }
  | { type: 'call_done'; batchId: string; rows: number; statuses: Partial<Record<Status, number>> }
  | { type: 'lesson'; signature: string; lesson: 'ids' | 'systematic' }
  | { type: 'labelids'; in: 'query' | 'body' }
  | { type: 'guard'; stage: string; message: string }
  | { type: 'stop'; reason: StopReason; message: string };

export interface ExecutorOptions {
  client: ZohoClient;
  table: RowTable;
  /** `remove` takes pairs off; `add` puts them back (restore, label-side batches only). */
  action: 'remove' | 'add';
  /** Most calls in flight (the learned limit never goes above it). */
  concurrency: number;
  retries: number;
  batchSize: number;
  helpCenterId?: string | undefined;
  /** First retry delay in ms (doubles, with jitter); tests make it small. */
  retryBaseMs?: number | undefined;
  /** Read before and after the first write of each side, and repair and stop if Zoho removed more than asked. */
  guard: boolean;
  /** Every finished call's rows, at once (the journal and the outcome store). */
  onFinished: (entry: JournalEntry) => void;
  onEvent?: ((event: RunEvent) => void) | undefined;
  /** Resolves when the user interrupts: nothing more is sent, calls in flight finish. */
  interrupted?: Promise<void> | undefined;
  /** Already stopped before the first call (the token refresh was refused): every row is deferred. */
  stoppedBefore?: Stop | undefined;
  /** A label's members the command has just read: the guard need not read them again. */
  knownMembers?: { labelId: string; userIds: ReadonlySet<string> } | undefined;
}

export interface ExecutionResult {
  stop: Stop | undefined;
  /** Write calls sent. */
  writes: number;
  retries: number;
  /** Calls added by splitting unclear refusals (bounded: see splitBudget). */
  splitCalls: number;
  splitBudget: number;
  batchSizeCap: number | undefined;
  /** Where by-user calls carried `labelIds`, once a by-user call was answered. */
  labelIdsIn: 'body' | 'query' | undefined;
  guard: GuardReport;
  evidenceReads: number;
}

/** Extra calls bisection may add: 16 (one bad ID in a batch of 50 needs at most 12) plus a tenth of the plan. */
export const splitBudgetFor = (planCalls: number): number => 16 + Math.ceil(planCalls / 10);

const refusalOf = (e: ZohoApiError): Refusal & { signature: string } => ({ http: e.status, code: e.errorCode, message: e.detail || e.message, signature: refusalSignature(e) });

/** Systematic refusals in a row that stop the run. */
const SYSTEMATIC_STOP = 3;
/** Free retries after 429 TOO_MANY_REQUESTS before one counts as a real failure. */
const MAX_TOO_MANY = 50;

type Parked = { work: Work; error: ZohoApiError };

/**
 * Runs a plan: bounded, learned concurrency (p-queue: priorities and a live
 * limit); continuations (retries and the parts of a split) before untouched
 * batches; every call's finished rows handed on at once. The decisions are
 * pure functions (verdict.ts); this class only schedules and keeps count.
 */
class Executor {
  readonly #o: ExecutorOptions;
  readonly #queue: PQueue;
  readonly #learner: ConcurrencyLearner;
  readonly #lessons = new Lessons<Parked>();
  readonly #evidence: Evidence;
  readonly #timers = new Map<NodeJS.Timeout, Work>();
  readonly #queued = new Set<Work>();
  readonly #splitBudget: number;
  #batches: Batch[] = [];
  #skip = new Set<Batch>();
  #cursor = 0;
  #pumping = false;
  #live = 0;
  #stop: Stop | undefined;
  #fatal: unknown;
  #writes = 0;
  #retries = 0;
  #splitCalls = 0;
  #cap: number | undefined;
  #labelIds: { in: 'body' | 'query'; settled: boolean; trial?: Parked | undefined; parked: Parked[] } = { in: 'body', settled: false, parked: [] };
  #answeredByUser = false;
  #systematic = { run: 0, what: '' };
  #done!: () => void;
  readonly #finished = new Promise<void>((resolve) => (this.#done = resolve));

  constructor(options: ExecutorOptions, planCalls: number) {
    this.#o = options;
    this.#learner = new ConcurrencyLearner(options.concurrency, { onEvent: (e) => options.onEvent?.(e) });
    this.#queue = new PQueue({ concurrency: this.#learner.level });
    this.#splitBudget = splitBudgetFor(planCalls);
    this.#evidence = new Evidence(options.client, { action: options.action, helpCenterId: options.helpCenterId, maxReads: Math.max(50, planCalls) });
  }

  async run(plan: Plan): Promise<ExecutionResult> {
    this.#batches = plan.batches;
    void this.#o.interrupted?.then(() => this.halt('interrupted', 'interrupted (Ctrl-C, SIGTERM, or the reader of the output went away): calls in flight finished, nothing more was sent'));
    let guard: GuardReport = { ran: false, outcome: 'off', note: !this.#o.guard ? '--no-guard' : this.#o.action === 'add' ? 'adding needs none' : 'nothing to send' };
    if (this.#o.stoppedBefore) {
      const { reason, message, retryAfterSeconds } = this.#o.stoppedBefore;
      this.halt(reason, message, retryAfterSeconds);
    } else if (this.#o.guard && this.#o.action === 'remove' && plan.batches.length > 0) {
      this.#skip = new Set();
      try {
        guard = await runGuard(this.#guardHost(), plan, this.#skip);
      } catch (error) {
        guard = { ran: true, outcome: 'error', note: `could not read: ${error instanceof Error ? error.message : String(error)}` };
        this.#haltOn(error, 'the first-write guard could not read what the first write would touch');
      }
    }
    this.#pumping = true;
    this.#checkDone();
    await this.#finished;
    if (this.#fatal !== undefined) throw this.#fatal;
    return {
      stop: this.#stop,
      writes: this.#writes,
      retries: this.#retries,
      splitCalls: this.#splitCalls,
      splitBudget: this.#splitBudget,
      batchSizeCap: this.#cap,
      labelIdsIn: this.#answeredByUser ? this.#labelIds.in : undefined,
      guard,
      evidenceReads: this.#evidence.reads,
    };
  }

  /** Stops sending: queued and waiting work is settled now, calls in flight finish. */
  halt(reason: StopReason, message: string, retryAfterSeconds?: number): void {
    if (this.#stop) return;
    this.#stop = { reason, message, retryAfterSeconds };
    this.#o.onEvent?.({ type: 'stop', reason, message });
    this.#queue.clear();
    for (const work of [...this.#queued]) this.#settleStopped(work);
    this.#queued.clear();
    for (const [timer, work] of this.#timers) {
      clearTimeout(timer);
      this.#settleStopped(work);
    }
    this.#timers.clear();
    for (const { work } of [...this.#lessons.drain(), ...this.#labelIds.parked.splice(0)]) this.#settleStopped(work);
    for (; this.#cursor < this.#batches.length; this.#cursor += 1) {
      const batch = this.#batches[this.#cursor]!;
      if (!this.#skip.has(batch)) this.#record(newWork(batch), [{ rows: [...batch.rows], status: 'deferred', http: 0, message: `not sent: ${notSentBecause(this.#stop)}; run again with --resume` }]);
    }
    this.#checkDone();
  }

  /**
   * Stops on an error outside a write's answer (the guard's reads): credits and
   * auth as such; anything else is the guard's (nothing more is sent unguarded).
   */
  #haltOn(error: unknown, context: string): void {
    if (error instanceof BudgetError) return this.halt('credits', error.message);
    if (error instanceof ZohoApiError && (error.kind === 'auth' || error.kind === 'credits')) return this.halt(error.kind, error.message, error.retryAfterSeconds);
    if (error instanceof ZdlabelsError && (error.code === 'AUTH' || error.code === 'CONFIG')) return this.halt('auth', error.message);
    if (!(error instanceof ZdlabelsError)) this.#fatal ??= error;
    this.halt('guard', `${context} (${error instanceof Error ? error.message : String(error)}); nothing was sent. Run again, or pass --no-guard to go without it`);
  }

  #guardHost() {
    return {
      client: this.#o.client,
      table: this.#o.table,
      batchSize: this.#o.batchSize,
      helpCenterId: this.#o.helpCenterId,
      knownMembers: this.#o.knownMembers,
      onEvent: (stage: string, message: string) => this.#o.onEvent?.({ type: 'guard', stage, message }),
      runBatch: (batch: Batch) => this.#runFamily(batch),
      stopped: () => this.#stop !== undefined,
      halt: (message: string) => this.halt('guard', message),
    };
  }

  /** Sends one batch now (before anything else); resolves, once it and all its parts are settled, with the rows it changed. */
  #runFamily(batch: Batch): Promise<number> {
    return new Promise((resolve) => {
      const family: Family = { live: 0, changed: 0, settled: resolve };
      const work = newWork(batch, family);
      this.#adopt(work);
      this.#enqueue(work, 1);
    });
  }

  #adopt(work: Work): void {
    this.#live += 1;
    if (work.family) work.family.live += 1;
  }

  #enqueue(work: Work, priority: number): void {
    if (this.#stop) {
      this.#settleStopped(work);
      return;
    }
    this.#queued.add(work);
    void this.#queue.add(() => this.#attempt(work), { priority });
  }

  /** Keeps the queue topped up with untouched batches (lazily: a million rows never sit in it at once). */
  #pump(): void {
    while (!this.#stop && this.#cursor < this.#batches.length && this.#queue.size < this.#queue.concurrency) {
      const batch = this.#batches[this.#cursor++]!;
      if (this.#skip.has(batch)) continue;
      const work = newWork(batch);
      this.#adopt(work);
      this.#enqueue(work, 0);
    }
  }

  #checkDone(): void {
    if (!this.#pumping) return;
    this.#pump();
    if (this.#live === 0 && (this.#cursor >= this.#batches.length || this.#stop)) this.#done();
  }

  #applyConcurrency(): void {
    if (this.#queue.concurrency !== this.#learner.level) this.#queue.concurrency = this.#learner.level;
  }

  /** Records a work's rows as finished (journal and store) and lets it go. */
  #settle(work: Work, finished: Finished[]): void {
    this.#record(work, finished);
    this.#release(work);
  }

  #record(work: Work, finished: Finished[]): void {
    const at = Date.now();
    const statuses: Partial<Record<Status, number>> = {};
    for (const f of finished) {
      if (f.rows.length === 0) continue;
      statuses[f.status] = (statuses[f.status] ?? 0) + f.rows.length;
      if (work.family && (f.status === 'removed' || f.status === 'added')) work.family.changed += f.rows.length;
      this.#o.onFinished({ rows: f.rows, status: f.status, http: f.http || undefined, code: f.code, message: f.message, attempts: work.attempts, batch: work.batch.id, at });
    }
    this.#o.onEvent?.({ type: 'call_done', batchId: work.batch.id, rows: work.batch.rows.length, statuses });
  }

  #release(work: Work): void {
    if (work.done) return;
    work.done = true;
    this.#live -= 1;
    if (work.family && --work.family.live === 0) work.family.settled(work.family.changed);
    this.#checkDone();
  }

  /** The work is replaced by its parts, which run before untouched batches. */
  #replace(work: Work, parts: Work[]): void {
    for (const p of parts) this.#adopt(p);
    for (const p of parts) this.#enqueue(p, 1);
    this.#release(work);
  }

  #settleStopped(work: Work): void {
    this.#queued.delete(work);
    const why = notSentBecause(this.#stop ?? { reason: 'interrupted', message: '' });
    const rows = [...work.batch.rows];
    if (work.attempts === 0) this.#settle(work, [{ rows, status: 'deferred', http: 0, message: `not sent: ${why}; run again with --resume` }]);
    else {
      const message = `not finished: sent ${work.attempts} time(s), last: ${work.last ?? 'unknown'}; the run stopped (${why}) before another attempt; --resume sends it again`;
      this.#settle(work, [{ rows, status: 'failed', http: work.lastHttp ?? 0, code: work.lastCode, message }]);
    }
  }

  #ids(work: Work): string[] {
    const { table } = this.#o;
    return [...work.batch.rows].map((r) => (work.batch.by === 'label' ? userIdOf(table, r) : labelIdOf(table, r)));
  }

  #key(work: Work): string {
    return work.batch.by === 'label' ? this.#o.table.labels.value(work.batch.key) : this.#o.table.users.value(work.batch.key);
  }

  #sent(work: Work): SentBatch {
    return { by: work.batch.by, rows: work.batch.rows, ids: this.#ids(work) };
  }

  async #attempt(work: Work): Promise<void> {
    this.#queued.delete(work);
    try {
      if (this.#stop) return this.#settleStopped(work);
      if (this.#cap !== undefined && work.batch.rows.length > this.#cap) return this.#split(work, splitBatch(work.batch, this.#cap), 'too_large');
      const inflight = this.#queue.pending;
      work.attempts += 1;
      this.#writes += 1;
      let answer: MassActionResponse | undefined;
      try {
        answer = await this.#send(work);
      } catch (error) {
        return await this.#refused(work, error, inflight);
      }
      this.#learner.ok();
      this.#applyConcurrency();
      await this.#answered(work, answer);
    } catch (error) {
      // Not a Zoho answer: a bug. Stop cleanly, then report it.
      this.#fatal ??= error;
      this.halt('interrupted', `internal error: ${error instanceof Error ? error.message : String(error)}`);
      if (!work.done) this.#settleStopped(work);
    }
  }

  #send(work: Work): Promise<MassActionResponse | undefined> {
    const { client, action, helpCenterId } = this.#o;
    const ids = this.#ids(work);
    const key = this.#key(work);
    if (work.batch.by === 'label') {
      return client.call(action === 'add' ? 'addUsersToLabel' : 'removeUsersFromLabel', { path: { labelId: key }, body: { userIds: ids } }).then(() => undefined);
    }
    if (action === 'add') throw new TypeError('adding is planned by label only');
    work.query ??= this.#labelIds.settled && this.#labelIds.in === 'query' ? true : undefined;
    const hc = helpCenterId === undefined ? {} : { helpCenterId };
    return work.query
      ? client.call('removeLabelsFromUser', { path: { userId: key }, query: { ...hc, labelIds: ids.join(',') }, body: undefined })
      : client.call('removeLabelsFromUser', { path: { userId: key }, query: hc, body: { labelIds: ids } });
  }

  async #answered(work: Work, answer: MassActionResponse | undefined): Promise<void> {
    this.#systematic.run = 0;
    this.#learned(work, 'success');
    const rows = [...work.batch.rows];
    if (work.batch.by === 'label') return this.#settle(work, [{ rows, status: this.#o.action === 'add' ? 'added' : 'removed', http: 204 }]);
    this.#answeredByUser = true;
    this.#settleLabelIds(work, true);
    const v = judgeByUser(answer, this.#sent(work));
    const only = v.refused[0];
    if (v.refused.length === 1 && only && only.rows.length === rows.length && rows.length > 1) {
      // Every label refused alike: nothing singles one out; treat it as an unclear refusal of the call.
      const error = new ZohoApiError({ method: 'POST', path: `/api/v1/users/${this.#key(work)}/labels/remove`, status: only.http, errorCode: only.code, detail: only.message, kind: 'refused' });
      return this.#judge(work, error);
    }
    const finished = [...v.finished];
    for (const group of v.refused) finished.push(...(await this.#explain(group.rows, { http: group.http, code: group.code, message: group.message })).finished);
    this.#settle(work, finished);
  }

  async #refused(work: Work, error: unknown, inflight: number): Promise<void> {
    if (error instanceof BudgetError) {
      work.attempts -= 1; // refused before sending
      this.#writes -= 1;
      this.halt('credits', error.message);
      return this.#settleStopped(work);
    }
    if (!(error instanceof ZohoApiError)) {
      if (!(error instanceof ZdlabelsError)) throw error;
      // Token refresh refused, or a token issued for another data centre: nothing more can be sent.
      work.last = describeFailure(error);
      this.halt('auth', error.message);
      return this.#settleStopped(work);
    }
    work.last = describeFailure(error);
    work.lastHttp = error.status;
    work.lastCode = error.errorCode;
    if (error.errorCode === 'TOO_MANY_REQUESTS') this.#learner.refused(inflight);
    else this.#learner.ok();
    this.#applyConcurrency();
    if (this.#stop) return this.#settleStopped(work);
    return this.#judge(work, error);
  }

  /** Acts on a refusal (also one held back while the run learned what such refusals mean). */
  async #judge(work: Work, error: ZohoApiError): Promise<void> {
    let v: RefusalVerdict = judgeRefusal(error, this.#sent(work));
    if (v.do === 'check-path' && work.pathExists) v = { do: 'unclear' };
    if (v.do !== 'retry' && v.do !== 'unclear') this.#learned(work, 'other');
    switch (v.do) {
      case 'retry':
        return this.#retry(work, error, v.free);
      case 'stop':
        this.halt(v.reason, error.message, error.retryAfterSeconds);
        return this.#settleStopped(work);
      case 'shrink':
        this.#cap = Math.max(1, Math.min(this.#cap ?? Infinity, Math.floor(work.batch.rows.length / 2)));
        return this.#split(work, splitBatch(work.batch, this.#cap), 'too_large');
      case 'check-path':
        return this.#checkPath(work, error);
      case 'exclude':
        return this.#exclude(work, v.rows, error);
      case 'request':
      case 'labelids-missing':
        if (this.#tryLabelIdsInQuery(work, error)) return;
        return this.#failSystematic(work, refusalOf(error));
      case 'unclear':
        if (this.#tryLabelIdsInQuery(work, error)) return;
        return this.#unclear(work, error);
    }
  }

  #retry(work: Work, error: ZohoApiError, free: boolean): void {
    if (free) work.tooMany += 1;
    else work.retries += 1;
    if ((!free && work.retries > this.#o.retries) || work.tooMany > MAX_TOO_MANY) {
      this.#learned(work, 'other');
      const message = `gave up after ${work.attempts} attempts: ${work.last ?? error.message}; --resume sends it again`;
      return this.#settle(work, [{ rows: [...work.batch.rows], status: 'failed', http: error.status ?? 0, code: error.errorCode, message }]);
    }
    if (!free) this.#retries += 1;
    const base = this.#o.retryBaseMs ?? 500;
    const delayMs = Math.round((free ? Math.max(1, base / 10) : Math.min(30_000, base * 2 ** (work.retries - 1))) * (1 + Math.random()));
    this.#o.onEvent?.({ type: 'retry', batchId: work.batch.id, attempt: work.attempts, error: error.message, free, delayMs });
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#enqueue(work, 1);
    }, delayMs);
    this.#timers.set(timer, work);
  }

  #split(work: Work, batches: Batch[], reason: 'unclear' | 'too_large' | 'named', learning?: string): void {
    const parts = batches.map((b) => ({ ...partOf(work, b), learning }));
    this.#o.onEvent?.({ type: 'split', batchId: work.batch.id, reason, parts: parts.length, batchSize: reason === 'too_large' ? this.#cap : undefined });
    this.#replace(work, parts);
  }

  /** A 404: one read tells whether the path's label or user is missing (every row not_found) or the 404 is about the body. */
  async #checkPath(work: Work, error: ZohoApiError): Promise<void> {
    const key = this.#key(work);
    const exists = work.batch.by === 'label' ? await this.#evidence.labelExists(key) : await this.#evidence.userExists(key);
    if (!exists) {
      this.#learned(work, 'other');
      const message = `${work.batch.by} ${key} does not exist in this organization`;
      return this.#settle(work, [{ rows: [...work.batch.rows], status: 'not_found', http: error.status ?? 404, code: error.errorCode, message }]);
    }
    work.pathExists = true;
    return this.#judge(work, error);
  }

  /** The answer named some IDs: explain those by reads, send the rest again at once. */
  async #exclude(work: Work, named: number[], error: ZohoApiError): Promise<void> {
    const rest = partOf(work, without(work.batch, new Set(named), '.r'));
    this.#o.onEvent?.({ type: 'split', batchId: work.batch.id, reason: 'named', parts: 2 });
    this.#adopt(rest);
    this.#enqueue(rest, 1);
    const { finished } = await this.#explain(named, refusalOf(error));
    this.#settle(work, finished);
  }

  /** Explains refused rows one by one with reads; rows explained alike are finished together. */
  async #explain(rows: number[], refusal: Refusal): Promise<{ finished: Finished[]; aboutIds: boolean }> {
    const groups = new Map<string, Finished>();
    let aboutIds = false;
    for (const row of rows) {
      const e = this.#stop
        ? { status: 'failed' as const, message: `Zoho refused it (HTTP ${refusal.http ?? '-'} ${refusal.code ?? ''}); not explained: the run stopped; --resume sends it again`, aboutIds: false }
        : await this.#evidence.explain(userIdOf(this.#o.table, row), labelIdOf(this.#o.table, row), refusal);
      aboutIds ||= e.aboutIds;
      const key = `${e.status}|${e.message}`;
      const group = groups.get(key) ?? { rows: [], status: e.status, http: refusal.http ?? 0, code: refusal.code, message: e.message };
      group.rows.push(row);
      groups.set(key, group);
    }
    return { finished: [...groups.values()], aboutIds };
  }

  /**
   * An unclear refusal. One row: reads explain it. More: what is learned about
   * this kind of refusal decides: about IDs, split it (within the budget);
   * about the request, fail it without splitting; not known yet, split once
   * to learn, while the others refused so wait for the lesson.
   */
  async #unclear(work: Work, error: ZohoApiError): Promise<void> {
    const refusal = refusalOf(error);
    const learning = work.learning;
    work.learning = undefined;
    if (work.batch.rows.length === 1) {
      const { finished, aboutIds } = await this.#explain([...work.batch.rows], refusal);
      this.#settle(work, finished);
      if (learning !== undefined) this.#teach(learning, learning === refusal.signature ? (aboutIds ? 'success' : 'same') : 'other');
      if (!aboutIds) this.#countSystematic(refusal);
      return;
    }
    // A half whose sibling already taught the lesson goes on with what was learned.
    if (learning !== undefined && this.#lessons.lesson(learning) === 'learning') {
      if (learning === refusal.signature) {
        this.#lessons.park(refusal.signature, { work, error });
        return this.#teach(learning, 'same');
      }
      this.#teach(learning, 'other');
    }
    const lesson = this.#lessons.lesson(refusal.signature);
    if (lesson === 'systematic') return this.#failSystematic(work, refusal);
    if (lesson === 'learning') return this.#lessons.park(refusal.signature, { work, error });
    if (this.#splitCalls + 2 > this.#splitBudget) {
      const message = `${refusal.message}; not split further to find the cause: this run's budget for isolating refused IDs (${this.#splitBudget} extra calls) is spent; --resume tries again`;
      return this.#settle(work, [{ rows: [...work.batch.rows], status: 'failed', http: refusal.http ?? 0, code: refusal.code, message }]);
    }
    this.#splitCalls += 2;
    if (lesson === undefined) this.#lessons.startLearning(refusal.signature);
    this.#split(work, halve(work.batch), 'unclear', lesson === undefined ? refusal.signature : undefined);
  }

  /** A learning half ended its first way: record it, and act on the lesson once learned. */
  #learned(work: Work, outcome: HalfOutcome): void {
    if (work.learning === undefined) return;
    const signature = work.learning;
    work.learning = undefined;
    this.#teach(signature, outcome);
  }

  #teach(signature: string, outcome: HalfOutcome): void {
    const learned = this.#lessons.half(signature, outcome);
    if (!learned) return;
    this.#o.onEvent?.({ type: 'lesson', signature, lesson: learned.lesson });
    for (const p of learned.released) void this.#unclear(p.work, p.error).catch((e: unknown) => (this.#fatal ??= e));
  }

  #failSystematic(work: Work, refusal: Refusal): void {
    const message = `${refusal.message || 'refused'}: other calls were refused the same way, so this is about the request, not these IDs; nothing was changed; --resume sends it again once the cause is fixed`;
    this.#settle(work, [{ rows: [...work.batch.rows], status: 'failed', http: refusal.http ?? 0, code: refusal.code, message }]);
    this.#countSystematic(refusal);
  }

  #countSystematic(refusal: Refusal): void {
    this.#systematic.run += 1;
    this.#systematic.what = `HTTP ${refusal.http ?? '-'}${refusal.code ? ` ${refusal.code}` : ''}${refusal.message ? ` "${refusal.message}"` : ''}`;
    if (this.#systematic.run >= SYSTEMATIC_STOP) {
      this.halt(
        'systematic',
        `${this.#systematic.run} calls in a row were refused the same way (${this.#systematic.what}), so the refusal is about the request, not the IDs; nothing more was sent. Check ZOHO_ORG_ID and --help-center-id; \`zdlabels doctor --probe\` shows how this organization answers each call`,
      );
    }
  }

  /**
   * By user, the spec puts `labelIds` in the body; a mirror of Zoho's Postman
   * collection puts them in the query. The first time by-user calls are
   * refused for the request (or unclearly) before any was accepted, one is
   * sent again with them in the query; the others wait. Whichever works is
   * kept for the run (and recorded in the manifest).
   */
  #tryLabelIdsInQuery(work: Work, error: ZohoApiError): boolean {
    if (work.batch.by !== 'user' || this.#labelIds.settled) return false;
    if (work.query && this.#labelIds.trial?.work === work) {
      // The trial was refused too: the query is no better; the body's refusal stands.
      const { error: bodyError } = this.#labelIds.trial;
      this.#settleLabelIds(work, false);
      work.query = false;
      void this.#judge(work, bodyError).catch((e: unknown) => (this.#fatal ??= e));
      return true;
    }
    if (this.#labelIds.trial) {
      this.#labelIds.parked.push({ work, error });
      return true;
    }
    this.#labelIds.trial = { work, error };
    work.query = true;
    this.#enqueue(work, 1);
    return true;
  }

  /** A by-user answer settles where `labelIds` go; work waiting for that is sent (or judged) again. */
  #settleLabelIds(work: Work, accepted: boolean): void {
    if (this.#labelIds.settled) return;
    const { parked } = this.#labelIds;
    const inQuery = accepted && work.query === true;
    this.#labelIds = { in: inQuery ? 'query' : 'body', settled: true, parked: [] };
    this.#o.onEvent?.({ type: 'labelids', in: this.#labelIds.in });
    for (const p of parked) {
      if (inQuery) {
        p.work.query = true;
        this.#enqueue(p.work, 1);
      } else void this.#judge(p.work, p.error).catch((e: unknown) => (this.#fatal ??= e));
    }
  }
}

/** Runs the plan's batches; see Executor. */
export async function execute(plan: Plan, options: ExecutorOptions): Promise<ExecutionResult> {
  return new Executor(options, plan.batches.length).run(plan);
}
