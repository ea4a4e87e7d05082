export interface ThrottleEvent {
  type: 'throttle';
  concurrency: number;
  ceiling: number;
  reason: 'refused' | 'probe';
}

export interface ThrottleOptions {
  /** Where to start: Zoho's smallest plan allows 5 calls at once, so any org does. */
  start?: number;
  /** Clean rounds at the learned ceiling before one probe above it (a round: as many calls as are in flight). */
  probeAfterRounds?: number;
  onEvent?: (e: ThrottleEvent) => void;
}

/**
 * How many calls to keep in flight. It starts at Zoho's smallest limit (5) and
 * climbs one step per clean round (as many clean answers as calls in flight).
 * A 429 TOO_MANY_REQUESTS for a call sent with N in flight proves the org's
 * limit (what other integrations leave us) is below N: the ceiling becomes
 * N − 1 at once, not by halving. Refusals of calls sent before that lesson
 * are the same wave and teach nothing new. Above a learned ceiling it probes
 * one step only after many clean calls, since each probe past the limit costs
 * a refused call (and the org a slot).
 */
export class ConcurrencyLearner {
  readonly max: number;
  #level: number;
  #ceiling: number;
  #clean = 0;
  #epoch = 0;
  #learned = false;
  readonly #probeAfterRounds: number;
  readonly #onEvent: ((e: ThrottleEvent) => void) | undefined;

  constructor(max: number, options: ThrottleOptions = {}) {
    this.max = max;
    this.#ceiling = max;
    this.#level = Math.min(max, options.start ?? 5);
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

  /** Marks a call as sent; the token ties its answer to what was known then. */
  sent(): number {
    return this.#epoch;
  }

  /** An answer that was not "too many at once". */
  ok(): void {
    this.#clean += 1;
    if (this.#level < this.#ceiling) {
      if (this.#clean >= this.#level) {
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
  refused(inflight: number, token: number): void {
    this.#clean = 0;
    if (token !== this.#epoch) return; // sent before the last lesson: the same wave
    this.#epoch += 1;
    this.#learned = true;
    this.#ceiling = Math.max(1, Math.min(this.#ceiling, inflight - 1));
    this.#level = Math.min(this.#level, this.#ceiling);
    this.#onEvent?.({ type: 'throttle', concurrency: this.#level, ceiling: this.#ceiling, reason: 'refused' });
  }
}
