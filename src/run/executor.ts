import { BudgetError } from '../errors/BudgetError.js';
import { ZohoApiError } from '../errors/ZohoApiError.js';
import { ZdlabelsError } from '../errors/ZdlabelsError.js';
import { splitBatch, type Batch, type Plan } from '../plan/plan.js';
import type { MassActionResponse } from '../zoho/types.js';
import { keyOf, sendWork, sentOf } from './call.js';
import { Evidence, type Held } from './evidence.js';
import { Explainer } from './explainer.js';
import { guardFirstWrite } from './guardHosting.js';
import { HeldAtStart } from './heldAtStart.js';
import { LabelIdsPlacement } from './labelIdsPlacement.js';
import { Resender } from './resend.js';
import { Scheduler } from './scheduler.js';
import { SplitBudget } from './splitBudget.js';
import { membershipPagesFor, splitBudgetFor, type ExecutionResult, type ExecutorOptions } from './execution.js';
import { describeFailure, stopFor, type Stop } from './stop.js';
import { ConcurrencyLearner } from './throttle.js';
import { UnclearRefusals } from './unclear.js';
import { judgeByUser, judgeRefusal, type Finished, type RefusalVerdict } from './verdict.js';
import { partOf, type Work } from './work.js';

/** Free retries after 429 TOO_MANY_REQUESTS before one counts as a real failure. */
const MAX_TOO_MANY = 50;

/**
 * Runs a plan. The Scheduler keeps the state of the queue; this class decides
 * what each answer means for its rows (the pure parts in verdict.ts) and what
 * follows: finish, retry, split, or stop; a refusal naming IDs or settled by
 * reads goes to the Resender, an unclear one to UnclearRefusals (which learns
 * what such refusals mean), one that may be about where by-user `labelIds`
 * go to LabelIdsPlacement; the first-write guard is hosted by guardHosting.ts.
 *
 * The bound it keeps on write calls, whatever Zoho names in a refusal: the
 * plan's calls, plus one resend per planned batch refused for some of its
 * IDs (Resender), plus the split budget (splitBudgetFor: bisection and any
 * later resend); retries of passing failures, smaller batches after
 * RESOURCE_SIZE_EXCEEDED and the labelIds placement trial come on top.
 */
class Executor {
  readonly #o: ExecutorOptions;
  readonly #s: Scheduler;
  readonly #learner: ConcurrencyLearner;
  readonly #evidence: Evidence;
  readonly #explainer: Explainer;
  readonly #budget: SplitBudget;
  readonly #resender: Resender;
  readonly #unclear: UnclearRefusals;
  readonly #labelIds: LabelIdsPlacement;
  readonly #heldAtStart: HeldAtStart;
  #fatal: unknown;
  #writes = 0;
  #retries = 0;
  #cap: number | undefined;

  constructor(options: ExecutorOptions, planCalls: number) {
    this.#o = options;
    this.#heldAtStart = new HeldAtStart(options.table, options.rowsHeldAtStart === true, options.heldRows);
    for (const [labelId, members] of options.knownMembers ?? []) this.#heldAtStart.record('label', labelId, members, true);
    this.#learner = new ConcurrencyLearner(options.concurrency, { onEvent: (e) => options.onEvent?.(e) });
    this.#s = new Scheduler(this.#learner.level, {
      attempt: (work) => this.#attempt(work),
      onFinished: options.onFinished,
      onCallDone: (batchId, rows, statuses) => options.onEvent?.({ type: 'call_done', batchId, rows, statuses }),
    });
    this.#budget = new SplitBudget(splitBudgetFor(planCalls));
    this.#evidence = new Evidence(options.client, { action: options.action, helpCenterId: options.helpCenterId, membershipPages: membershipPagesFor(planCalls) });
    this.#explainer = new Explainer(this.#evidence, { table: options.table, action: options.action, resumed: options.resumed === true, heldAtStart: this.#heldAtStart, stopped: () => this.#s.stop !== undefined });
    const shared = { scheduler: this.#s, explainer: this.#explainer, budget: this.#budget, onEvent: options.onEvent };
    this.#resender = new Resender({ ...shared, learned: (work, outcome) => this.#unclear.learned(work, outcome) });
    this.#unclear = new UnclearRefusals({
      ...shared,
      reads: this.#resender,
      split: (work, halves, learning) => this.#split(work, halves, 'unclear', learning),
      background: (work, decision) => this.#background(work, decision),
      halt: (stop) => this.halt(stop),
    });
    this.#labelIds = new LabelIdsPlacement({
      send: (work) => this.#s.enqueue(work, 1),
      judge: (work, error) => this.#background(work, this.#judge(work, error)),
      placed: (placement) => options.onEvent?.({ type: 'labelids', in: placement }),
    });
  }

  async run(plan: Plan): Promise<ExecutionResult> {
    const skip = new Set<Batch>();
    this.#s.load(plan.batches, skip);
    void this.#o.interrupted?.then(() => this.halt({ reason: 'interrupted', message: 'interrupted (Ctrl-C, SIGTERM, or the reader of the output went away): calls in flight finished, nothing more was sent' }));
    if (this.#o.stoppedBefore) this.halt(this.#o.stoppedBefore); // a refused refresh, before anything was sent
    const guard = await guardFirstWrite(
      {
        options: this.#o,
        heldAtStart: this.#heldAtStart,
        runBatch: (batch) => this.#s.runFamily(batch),
        stopped: () => this.#s.stop !== undefined,
        halt: (stop) => this.halt(stop),
        bug: (error) => (this.#fatal ??= error),
      },
      plan,
      skip,
    );
    this.#s.start();
    await this.#s.finished;
    if (this.#fatal !== undefined) throw this.#fatal;
    return {
      stop: this.#s.stop,
      writes: this.#writes,
      retries: this.#retries,
      splitCalls: this.#budget.used,
      splitBudget: this.#budget.total,
      batchSizeCap: this.#cap,
      labelIdsIn: this.#labelIds.placement,
      guard,
      evidenceReads: this.#evidence.reads,
    };
  }

  /** Stops sending: everything waiting is settled now, calls in flight finish. */
  halt({ reason, message, retryAfterSeconds }: Stop): void {
    const parked = [...this.#unclear.drain(), ...this.#labelIds.drain()];
    if (this.#s.halt({ reason, message, retryAfterSeconds }, parked)) this.#o.onEvent?.({ type: 'stop', reason, message });
  }

  /** One call and what follows from its answer. Never throws: a bug stops the run and is reported at its end. */
  async #attempt(work: Work): Promise<void> {
    try {
      if (this.#s.stop) return this.#s.settleStopped(work);
      if (this.#cap !== undefined && work.batch.rows.length > this.#cap) return this.#split(work, splitBatch(work.batch, this.#cap), 'too_large');
      const inflight = this.#s.pending;
      work.attempts += 1;
      this.#writes += 1;
      let answer: MassActionResponse | undefined;
      try {
        answer = await sendWork(this.#o, work, this.#labelIds.inQuery);
      } catch (error) {
        return await this.#refused(work, error, inflight);
      }
      this.#learner.ok();
      this.#s.concurrency = this.#learner.level;
      await this.#answered(work, answer);
    } catch (error) {
      this.#thrown(error);
      if (!work.done) this.#s.settleStopped(work);
    }
  }

  async #answered(work: Work, answer: MassActionResponse | undefined): Promise<void> {
    this.#unclear.accepted(work);
    const rows = [...work.batch.rows];
    if (work.batch.by === 'label') return this.#s.settle(work, this.#successes([{ rows, status: this.#o.action === 'add' ? 'added' : 'removed', http: 204 }]));
    this.#labelIds.accepted(work);
    const v = judgeByUser(answer, sentOf(this.#o.table, work));
    const only = v.refused[0];
    if (v.refused.length === 1 && only && only.rows.length === rows.length && rows.length > 1) {
      // Every label refused alike: nothing singles one out; treat it as an unclear refusal of the call.
      const error = new ZohoApiError({ method: 'POST', path: `/api/v1/users/${keyOf(this.#o.table, work)}/labels/remove`, status: only.http, errorCode: only.code, detail: only.message, kind: 'refused' });
      return this.#judge(work, error);
    }
    const finished = this.#successes(v.finished);
    this.#evidence.userAnswered(keyOf(this.#o.table, work));
    // One read of the user's labels explains every label refused (not one per label).
    const held: Held | undefined = v.refused.length > 0 && this.#o.action === 'remove' ? await this.#explainer.userHoldings(work) : undefined;
    for (const group of v.refused) finished.push(...(await this.#explainer.explain(work, group.rows, { http: group.http, code: group.code, message: group.message }, held)).finished);
    this.#s.settle(work, finished);
  }

  /** Rows Zoho answered success for, checked against what was read held before this run's first write (a resumed run's earlier writes came before its reads). */
  #successes(finished: readonly Finished[]): Finished[] {
    if (this.#o.action !== 'remove' || this.#o.resumed) return [...finished];
    return finished.flatMap((f) => this.#heldAtStart.judgeSuccess(f));
  }

  async #refused(work: Work, error: unknown, inflight: number): Promise<void> {
    if (error instanceof BudgetError) {
      work.attempts -= 1; // refused before sending
      this.#writes -= 1;
      this.halt({ reason: 'credits', message: error.message });
      return this.#s.settleStopped(work);
    }
    if (!(error instanceof ZohoApiError)) {
      if (!(error instanceof ZdlabelsError)) throw error;
      // Token refresh refused, or a token issued for another data centre: nothing more can be sent.
      work.last = describeFailure(error);
      this.halt({ reason: 'auth', message: error.message });
      return this.#s.settleStopped(work);
    }
    work.last = describeFailure(error);
    work.lastHttp = error.status;
    work.lastCode = error.errorCode;
    if (error.status === undefined || error.status >= 500) work.mayHaveApplied = true;
    if (error.errorCode === 'TOO_MANY_REQUESTS') this.#learner.refused(inflight);
    else this.#learner.ok();
    this.#s.concurrency = this.#learner.level;
    if (this.#s.stop) return this.#s.settleStopped(work);
    return this.#judge(work, error);
  }

  /** Acts on a refusal (also one held back while the run learned what such refusals mean). */
  async #judge(work: Work, error: ZohoApiError): Promise<void> {
    let v: RefusalVerdict = judgeRefusal(error, sentOf(this.#o.table, work));
    if (v.do === 'check-path' && work.pathExists) v = { do: 'unclear' };
    if (v.do !== 'retry' && v.do !== 'unclear') this.#unclear.learned(work, 'other');
    switch (v.do) {
      case 'retry':
        return this.#retry(work, error, v.free);
      case 'stop':
        this.halt({ reason: v.reason, message: error.message, retryAfterSeconds: error.retryAfterSeconds });
        return this.#s.settleStopped(work);
      case 'shrink':
        this.#cap = Math.max(1, Math.min(this.#cap ?? Infinity, Math.floor(work.batch.rows.length / 2)));
        return this.#split(work, splitBatch(work.batch, this.#cap), 'too_large');
      case 'check-path':
        return this.#checkPath(work, error);
      case 'exclude':
        return this.#resender.exclude(work, v.rows, error);
      case 'request':
      case 'labelids-missing':
        if (this.#labelIds.tryQuery(work, error)) return;
        return this.#unclear.refusedRequest(work, error);
      case 'unclear':
        if (this.#labelIds.tryQuery(work, error)) return;
        return this.#unclear.refused(work, error);
    }
  }

  #retry(work: Work, error: ZohoApiError, free: boolean): void {
    if (free) work.tooMany += 1;
    else work.retries += 1;
    if ((!free && work.retries > this.#o.retries) || work.tooMany > MAX_TOO_MANY) {
      this.#unclear.learned(work, 'other');
      const message = `gave up after ${work.attempts} attempts: ${work.last ?? error.message}; --resume sends it again`;
      return this.#s.settle(work, [{ rows: [...work.batch.rows], status: 'failed', http: error.status ?? 0, code: error.errorCode, message }]);
    }
    if (!free) this.#retries += 1;
    const base = this.#o.retryBaseMs ?? 500;
    const delayMs = Math.round((free ? Math.max(1, base / 10) : Math.min(30_000, base * 2 ** (work.retries - 1))) * (1 + Math.random()));
    this.#o.onEvent?.({ type: 'retry', batchId: work.batch.id, attempt: work.attempts, error: error.message, free, delayMs });
    this.#s.later(work, delayMs);
  }

  #split(work: Work, batches: Batch[], reason: 'unclear' | 'too_large', learning?: string): void {
    const parts = batches.map((b) => ({ ...partOf(work, b), learning }));
    this.#o.onEvent?.({ type: 'split', batchId: work.batch.id, reason, parts: parts.length, batchSize: reason === 'too_large' ? this.#cap : undefined });
    this.#s.replace(work, parts);
  }

  /** A 404: one read tells whether the path's label or user is missing (every row not_found) or the 404 is about the body. */
  async #checkPath(work: Work, error: ZohoApiError): Promise<void> {
    const key = keyOf(this.#o.table, work);
    const exists = work.batch.by === 'label' ? await this.#evidence.labelExists(key) : await this.#evidence.userExists(key);
    if (!exists) {
      this.#unclear.learned(work, 'other');
      const message = `${work.batch.by} ${key} does not exist in this organization`;
      return this.#s.settle(work, [{ rows: [...work.batch.rows], status: 'not_found', http: error.status ?? 404, code: error.errorCode, message }]);
    }
    work.pathExists = true;
    return this.#judge(work, error);
  }

  /** Runs a decision about `work` started outside a queued call; what it throws stops the run (#thrown). */
  #background(work: Work, decision: Promise<void>): void {
    decision.catch((e: unknown) => {
      this.#thrown(e);
      if (!work.done) this.#s.settleStopped(work);
    });
  }

  /**
   * A decision threw: a read to explain a refusal was refused for the
   * credentials or the credits (the reads tolerate anything else), which
   * stops the run so; anything else is a bug, reported at the end.
   */
  #thrown(error: unknown): void {
    const stop = error instanceof ZdlabelsError ? stopFor(error, 'a read to explain a refusal failed') : undefined;
    if (stop && stop.reason !== 'unchecked') return this.halt(stop);
    this.#fatal ??= error;
    this.halt({ reason: 'interrupted', message: `internal error: ${error instanceof Error ? error.message : String(error)}` });
  }
}

/** Runs the plan's batches; see Executor. */
export async function execute(plan: Plan, options: ExecutorOptions): Promise<ExecutionResult> {
  return new Executor(options, plan.batches.length).run(plan);
}
