// What an unclear refusal comes to: settled by a read, explained by reads (one
// row), or split to learn what such refusals mean; about the request, it
// fails, and three in a row stop the run.
import type { ZohoApiError } from '../errors/ZohoApiError.js';
import { halve, type Batch } from '../plan/plan.js';
import { SystematicBreaker } from './breaker.js';
import type { Refusal } from './evidence.js';
import type { RunEvent } from './execution.js';
import type { Explainer } from './explainer.js';
import { Lessons, refusalOf, type HalfOutcome } from './learning.js';
import type { Resender } from './resend.js';
import type { Scheduler } from './scheduler.js';
import type { SplitBudget } from './splitBudget.js';
import type { Stop } from './stop.js';
import { partOf, type Work } from './work.js';

/** A work waiting for a lesson, with the refusal it got; `resend`: it was never refused as it is (the rest of a probed half). */
type Parked = { work: Work; error: ZohoApiError; resend?: boolean };

/** What handling unclear refusals needs of the run. */
export interface UnclearHost {
  scheduler: Pick<Scheduler, 'settle' | 'enqueue' | 'adopt' | 'replace'>;
  explainer: Pick<Explainer, 'explain'>;
  reads: Pick<Resender, 'settled' | 'nonMembersLikely'>;
  budget: SplitBudget;
  /** Replaces a work by the halves of a split; `learning`: the signature they learn. */
  split: (work: Work, halves: Batch[], learning: string | undefined) => void;
  /** Runs a decision about a work started outside a queued call (what it throws stops the run). */
  background: (work: Work, decision: Promise<void>) => void;
  halt: (stop: Stop) => void;
  onEvent?: ((event: RunEvent) => void) | undefined;
}

/** Unclear refusals, the lessons learned from them this run, and the works parked until a lesson is learned. */
export class UnclearRefusals {
  readonly #h: UnclearHost;
  readonly #lessons = new Lessons<Parked>();
  readonly #breaker = new SystematicBreaker();

  constructor(host: UnclearHost) {
    this.#h = host;
  }

  /** A call was accepted: no longer refusals in a row; a learning half that went through teaches its lesson. */
  accepted(work: Work): void {
    this.#breaker.reset();
    this.learned(work, 'success');
  }

  /** Every parked work, removed (the run is stopping). */
  drain(): Work[] {
    return this.#lessons.drain().map((p) => p.work);
  }

  /**
   * An unclear refusal. One row: reads explain it. More: a read of what its
   * label (when that takes no more pages than its rows) or user holds may
   * settle it (Resender.settled). Else what is learned about this kind of
   * refusal decides: about IDs, split it (within the budget); about the
   * request, fail it without splitting; not known yet, split once to learn,
   * while the others refused so wait for the lesson.
   */
  async refused(work: Work, error: ZohoApiError): Promise<void> {
    const refusal = refusalOf(error);
    const rows = work.batch.rows.length;
    if (rows > 1 && this.#lessons.lesson(refusal.signature) !== 'systematic' && (await this.#h.reads.settled(work, refusal, rows, this.#h.reads.nonMembersLikely(work)))) return;
    const learning = work.learning;
    work.learning = undefined;
    if (work.batch.rows.length === 1) return this.#unclearRow(work, refusal, learning);
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
    if (lesson === 'learning' || lesson === 'probing') return this.#lessons.park(refusal.signature, { work, error });
    // A learning split may need a probe besides its halves: three calls from the budget.
    const cost = lesson === undefined ? 3 : 2;
    if (!this.#h.budget.take(cost)) return this.#h.scheduler.settle(work, [this.#h.budget.spent([...work.batch.rows], refusal, 'not split further to find the cause')]);
    if (lesson === undefined) this.#lessons.startLearning(refusal.signature);
    this.#h.split(work, halve(work.batch), lesson === undefined ? refusal.signature : undefined);
  }

  /** A refusal about the request (or the run learned that refusals of its kind are). */
  refusedRequest(work: Work, error: ZohoApiError): void {
    this.#failSystematic(work, refusalOf(error));
  }

  /** A learning half ended its first way: record it, and act on the lesson once learned. */
  learned(work: Work, outcome: HalfOutcome): void {
    if (work.learning === undefined) return;
    const signature = work.learning;
    work.learning = undefined;
    this.#teach(signature, outcome);
  }

  /**
   * One row refused unclearly: reads explain it, and teach a learning split
   * what the refusal was about. Only reads showing the pair as the call
   * needed it (so the refusal is not about it) count toward the systematic
   * stop: a row left unexplained (the reads budget spent, a read failed)
   * shows nothing about the request.
   */
  async #unclearRow(work: Work, refusal: Refusal & { signature: string }, learning: string | undefined): Promise<void> {
    const { finished, aboutIds } = await this.#h.explainer.explain(work, [...work.batch.rows], refusal);
    this.#h.scheduler.settle(work, finished);
    if (learning !== undefined) this.#teach(learning, learning !== refusal.signature || aboutIds === undefined ? 'other' : aboutIds ? 'success' : 'same');
    if (aboutIds === false) this.#countSystematic(refusal);
  }

  #teach(signature: string, outcome: HalfOutcome): void {
    const learned = this.#lessons.half(signature, outcome);
    if (learned === 'probe') return this.#probe(signature);
    if (!learned) return;
    this.#h.onEvent?.({ type: 'lesson', signature, lesson: learned.lesson });
    for (const p of learned.released) {
      // The rest of a probed half was refused only with the probe's row. About IDs: one row goes again
      // alone (reading it would judge a call never made); several are split, each half sent as it is.
      if (p.resend && learned.lesson === 'ids' && p.work.batch.rows.length === 1) this.#h.scheduler.enqueue(p.work, 1);
      else this.#h.background(p.work, this.refused(p.work, p.error));
    }
  }

  /**
   * Both halves were refused alike: about the request, or one bad ID in each?
   * One row of a parked half goes alone (its own answer, or the reads that
   * explain its refusal, tell); the rest of that half waits for the lesson.
   */
  #probe(signature: string): void {
    const held = this.#lessons.unpark(signature);
    if (!held) return this.#teach(signature, 'same'); // no row left to probe with: the halves were rows, already explained
    const { batch } = held.work;
    const single = { ...partOf(held.work, { ...batch, id: `${batch.id}.p`, rows: batch.rows.subarray(0, 1) }), learning: signature };
    const rest = partOf(held.work, { ...batch, id: `${batch.id}.q`, rows: batch.rows.subarray(1) });
    this.#h.scheduler.adopt(rest);
    this.#lessons.park(signature, { work: rest, error: held.error, resend: true });
    this.#h.scheduler.replace(held.work, [single]);
  }

  #failSystematic(work: Work, refusal: Refusal): void {
    const said = (refusal.message || 'refused').replace(/[.\s]+$/, '');
    const message = `${said}: other calls were refused the same way, so this is about the request, not these IDs; nothing was changed; --resume sends it again once the cause is fixed`;
    this.#h.scheduler.settle(work, [{ rows: [...work.batch.rows], status: 'failed', http: refusal.http ?? 0, code: refusal.code, message }]);
    this.#countSystematic(refusal);
  }

  #countSystematic(refusal: Refusal): void {
    const trip = this.#breaker.count(refusal);
    if (trip !== undefined) this.#h.halt({ reason: 'systematic', message: trip });
  }
}
