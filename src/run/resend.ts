// A refused batch's rows explained by reads, and the rest sent again: what
// keeps the write calls refusals add within their bound.
import type { ZohoApiError } from '../errors/ZohoApiError.js';
import { without } from '../plan/plan.js';
import type { Refusal } from './evidence.js';
import type { RunEvent } from './execution.js';
import type { Explainer } from './explainer.js';
import { refusalOf, type HalfOutcome } from './learning.js';
import type { Scheduler } from './scheduler.js';
import type { SplitBudget } from './splitBudget.js';
import type { Finished } from './verdict.js';
import { partOf, type Work } from './work.js';

/** What settling refused batches needs of the run. */
export interface ResenderHost {
  explainer: Pick<Explainer, 'explain' | 'settle' | 'refusedNonMembers'>;
  scheduler: Pick<Scheduler, 'settle' | 'adopt' | 'enqueue'>;
  budget: SplitBudget;
  onEvent?: ((event: RunEvent) => void) | undefined;
  /** A learning half ended its first way (settled by a read: `success`). */
  learned: (work: Work, outcome: HalfOutcome) => void;
}

/** Refused batches: settled by reads, or their named rows explained; either way, their other rows sent again. */
export class Resender {
  readonly #h: ResenderHost;

  constructor(host: ResenderHost) {
    this.#h = host;
  }

  /**
   * The answer named some IDs. A batch's refusal may be settled by reading
   * what its label or user holds (see settled): at first when that costs no
   * more pages than the rows named; once non-members are known to be among
   * them (refused again, or its label's refusals already read so), whatever
   * it costs (one page per row at most). Else the named rows are explained by
   * reads and the rest sent again at once.
   */
  async exclude(work: Work, named: number[], error: ZohoApiError): Promise<void> {
    const refusal = refusalOf(error);
    const again = this.nonMembersLikely(work);
    if (await this.settled(work, refusal, again ? work.batch.rows.length : named.length, again)) return;
    const rest = without(work.batch, new Set(named), '.r').rows;
    this.#h.onEvent?.({ type: 'split', batchId: work.batch.id, reason: 'named', parts: 2 });
    const unsent = this.#resend(work, rest, '.r', refusal);
    const { finished } = await this.#h.explainer.explain(work, named, refusal);
    this.#h.scheduler.settle(work, [...finished, ...unsent]);
  }

  /** Refused again after a resend, or its label (user) already refused a non-member this run: reading each row beats splitting. */
  nonMembersLikely(work: Work): boolean {
    return work.lineage.resends > 0 || this.#h.explainer.refusedNonMembers(work);
  }

  /**
   * Settles a refused batch from one read of what its target holds
   * (Explainer.settle), and sends the rows read held once more. Not for rows
   * read held already (refused again, they are judged as before: no loop).
   */
  async settled(work: Work, refusal: Refusal, maxPages: number, perRow: boolean): Promise<boolean> {
    if (work.readHeld) return false;
    const settled = await this.#h.explainer.settle(work, refusal, maxPages, perRow);
    if (!settled) return false;
    this.#h.learned(work, 'success');
    const unsent = this.#resend(work, settled.held, '.h', refusal, true);
    this.#h.scheduler.settle(work, [...settled.finished, ...unsent]);
    return true;
  }

  /**
   * Sends rows of a refused work again, as a part of it. The first resend of
   * a planned batch's rows (of any part of it) is free, later ones come from
   * the split budget: so refusals add at most one call per planned batch
   * besides that budget, never one per refused ID. Returns the rows' outcome
   * when the budget is spent (not sent).
   */
  #resend(work: Work, rows: ArrayLike<number>, suffix: string, refusal: Refusal, readHeld?: boolean): Finished[] {
    if (rows.length === 0) return [];
    const charged = work.lineage.resends > 0;
    if (charged && !this.#h.budget.take(1)) return [this.#h.budget.spent(Array.from(rows), refusal, 'not sent again')];
    work.lineage.resends += 1;
    const part = partOf(work, { ...work.batch, id: `${work.batch.id}${suffix}`, rows: Uint32Array.from(rows) });
    if (readHeld) part.readHeld = true;
    this.#h.scheduler.adopt(part);
    this.#h.scheduler.enqueue(part, 1);
    return [];
  }
}
