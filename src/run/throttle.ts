export interface ThrottleEvent {
  type: 'throttle';
  concurrency: number;
  ceiling: number;
  reason: 'refused' | 'probe';
}

export interface ThrottleOptions {
  /** Where to start (default 10, or the maximum if lower). */
  start?: number;
  /** Clean rounds at the learned ceiling before one probe above it (a round: as many calls as are in flight). */
  probeAfterRounds?: number;
  onEvent?: (e: ThrottleEvent) => void;
}

/**
 * How many calls to keep in flight. Zoho's org limits come in steps (5 Free
 * and trials, 10 Express and Standard, 15 Professional, 25 Enterprise), and
 * Help Center user labels are not in the Free edition: an org that uses them
 * allows 10 at once unless it is a trial. So it starts at 10, and climbs one
 * step per half round of clean answers while below its ceiling.
 *
 * A 429 TOO_MANY_REQUESTS for a call sent with N calls in flight proves the
 * org's limit (what other integrations leave us) is below N: the ceiling
 * becomes N − 1 at once, and the lowest such N of a wave wins (a trial org
 * refuses one wave of five calls, once). Above a learned ceiling it probes
 * one step only after many clean rounds, since each probe past the limit
 * costs a refused call and the org a slot.
 */
export class ConcurrencyLearner {
  readonly max: number;
  #level: number;
  #ceiling: number;
  #clean = 0;
  #learned = false;
  readonly #probeAfterRounds: number;
  readonly #onEvent: ((e: ThrottleEvent) => void) | undefined;

  constructor(max: number, options: ThrottleOptions = {}) {
    this.max = max;
    this.#ceiling = max;
    this.#level = Math.min(max, options.start ?? 10);
    this.#probeAfterRounds = options.probeAfterRounds ?? 50;
    this.#onEvent = options.onEvent;
  }

  /** Calls allowed in flight now. */
  get level(): number {
    return this.#level;
  }

  get ceiling(): number {
    return this.#ceiling;
  }

  /** An answer that was not "too many at once". */
  ok(): void {
    this.#clean += 1;
    if (this.#level < this.#ceiling) {
      // One step per half round: a limit of 25 is reached from 10 in about eight rounds,
      // and a step past the limit costs one or two refused calls, not a wave.
      if (this.#clean >= Math.ceil(this.#level / 2)) {
        this.#clean = 0;
        this.#level += 1;
      }
    } else if (this.#learned && this.#ceiling < this.max && this.#clean >= this.#probeAfterRounds * this.#level) {
      this.#clean = 0;
      this.#ceiling += 1;
      this.#level = this.#ceiling;
      this.#onEvent?.({ type: 'throttle', concurrency: this.#level, ceiling: this.#ceiling, reason: 'probe' });
    }
  }

  /** A 429 TOO_MANY_REQUESTS for a call sent with `inflight` calls in flight (itself included). */
  refused(inflight: number): void {
    this.#clean = 0;
    this.#learned = true;
    const bound = Math.max(1, inflight - 1);
    if (bound >= this.#ceiling) return; // what this refusal proves is already known
    this.#ceiling = bound;
    this.#level = Math.min(this.#level, bound);
    this.#onEvent?.({ type: 'throttle', concurrency: this.#level, ceiling: this.#ceiling, reason: 'refused' });
  }
}
