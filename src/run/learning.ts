import type { ZohoApiError } from '../errors/ZohoApiError.js';
import type { Refusal } from './evidence.js';
import { refusalSignature } from './verdict.js';

/**
 * What the run has learned about a kind of unclear refusal (its signature):
 * - `learning`: one refused batch is being split in two to find out;
 * - `probing`: both halves were refused alike, which two bad IDs (one in each
 *   half) would do too: one row of them is sent alone to tell;
 * - `ids`: a part went through, or reads showed an isolated row's ID was the
 *   cause: refusals of this kind are about IDs, so splitting them finds the
 *   culprits;
 * - `systematic`: a single pair that exists and is held was refused the same
 *   way (or both halves were, with no row left to probe): the refusal is about
 *   the request, and splitting further would only multiply calls.
 */
export type Lesson = 'learning' | 'probing' | 'ids' | 'systematic';

/** A refusal as the run learns from it: what Zoho said, and its kind (its signature). */
export const refusalOf = (e: ZohoApiError): Refusal & { signature: string } => ({ http: e.status, code: e.errorCode, message: e.detail || e.message, signature: refusalSignature(e) });

/** How one half of a learning split ended, the first time it was answered. */
export type HalfOutcome = 'success' | 'same' | 'other';

interface State {
  lesson: Lesson;
  halvesLeft: number;
  same: number;
}

/** A lesson learned, and the work that waited for it. */
export interface Learned<W> {
  lesson: Exclude<Lesson, 'learning' | 'probing'>;
  released: W[];
}

/** The lessons of one run, by signature, and the work parked until a lesson is learned. */
export class Lessons<W> {
  readonly #states = new Map<string, State>();
  readonly #parked = new Map<string, W[]>();

  lesson(signature: string): Lesson | undefined {
    return this.#states.get(signature)?.lesson;
  }

  /** Starts learning `signature` from a split into two halves. */
  startLearning(signature: string): void {
    this.#states.set(signature, { lesson: 'learning', halvesLeft: 2, same: 0 });
  }

  /** Work refused the unclear way while the lesson is being learned waits for it. */
  park(signature: string, work: W): void {
    const list = this.#parked.get(signature) ?? [];
    list.push(work);
    this.#parked.set(signature, list);
  }

  /**
   * Records how a learning half (or the probe) ended. Returns the lesson once
   * it is learned (and the parked work to handle again with it); `probe` when
   * both halves were refused alike and one row must be sent alone; else undefined.
   */
  half(signature: string, outcome: HalfOutcome): Learned<W> | 'probe' | undefined {
    const s = this.#states.get(signature);
    if (!s || (s.lesson !== 'learning' && s.lesson !== 'probing')) return undefined;
    if (outcome !== 'same') return this.learn(signature, 'ids');
    if (s.lesson === 'probing') return this.learn(signature, 'systematic');
    s.halvesLeft -= 1;
    s.same += 1;
    if (s.halvesLeft > 0) return undefined;
    s.lesson = 'probing';
    return 'probe';
  }

  /** Takes one work parked for `signature` (a half to probe with), if any. */
  unpark(signature: string): W | undefined {
    const list = this.#parked.get(signature);
    const work = list?.shift();
    if (list && list.length === 0) this.#parked.delete(signature);
    return work;
  }

  /** Settles a lesson and hands back the work parked for it. */
  learn(signature: string, lesson: Exclude<Lesson, 'learning' | 'probing'>): Learned<W> {
    this.#states.set(signature, { lesson, halvesLeft: 0, same: 0 });
    const released = this.#parked.get(signature) ?? [];
    this.#parked.delete(signature);
    return { lesson, released };
  }

  /** Every parked work, removed (the run is stopping). */
  drain(): W[] {
    const all = [...this.#parked.values()].flat();
    this.#parked.clear();
    return all;
  }
}
