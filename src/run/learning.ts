/**
 * What the run has learned about a kind of unclear refusal (its signature):
 * - `learning`: one refused batch is being split in two to find out;
 * - `ids`: a part of a split went through, or reads showed an isolated row's
 *   ID was the cause: refusals of this kind are about IDs, so splitting them
 *   finds the culprits;
 * - `systematic`: both parts were refused the same way: the refusal is about
 *   the request, splitting further would only multiply calls.
 */
export type Lesson = 'learning' | 'ids' | 'systematic';

/** How one half of a learning split ended, the first time it was answered. */
export type HalfOutcome = 'success' | 'same' | 'other';

interface State {
  lesson: Lesson;
  halvesLeft: number;
  same: number;
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
   * Records how a learning half ended. Returns the lesson once it is learned
   * (and the parked work to handle again with it), else undefined.
   */
  half(signature: string, outcome: HalfOutcome): { lesson: Exclude<Lesson, 'learning'>; released: W[] } | undefined {
    const s = this.#states.get(signature);
    if (!s || s.lesson !== 'learning') return undefined;
    if (outcome === 'success') return this.learn(signature, 'ids');
    s.halvesLeft -= 1;
    if (outcome === 'same') s.same += 1;
    if (s.halvesLeft > 0) return undefined;
    return this.learn(signature, s.same === 2 ? 'systematic' : 'ids');
  }

  /** Settles a lesson and hands back the work parked for it. */
  learn(signature: string, lesson: Exclude<Lesson, 'learning'>): { lesson: Exclude<Lesson, 'learning'>; released: W[] } {
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
