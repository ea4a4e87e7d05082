import pLimit, { type LimitFunction } from 'p-limit';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ThrottleEvent {
  type: 'throttle';
  concurrency: number;
  pauseMs: number;
}

export interface ThrottleOptions {
  /** Whether a failure means "too many calls at once" (Zoho: 429 TOO_MANY_REQUESTS). */
  isTooMany: (error: unknown) => boolean;
  /** First shared pause after a refusal, in ms (doubles on repeated refusals, with jitter). */
  basePauseMs?: number;
  onEvent?: (e: ThrottleEvent) => void;
}

/**
 * The gate every call passes: at most `concurrency` calls in flight (p-limit).
 * A "too many calls" refusal lowers the limit for every worker and pauses them
 * all briefly; clean calls raise it back one step at a time (AIMD). Refusals
 * of calls sent before the last slow-down are the same wave and count once.
 */
export class Throttle {
  readonly #limit: LimitFunction;
  readonly #max: number;
  readonly #options: ThrottleOptions;
  #pauseUntil = 0;
  #strikes = 0;
  #clean = 0;
  #epoch = 0;

  constructor(max: number, options: ThrottleOptions) {
    this.#limit = pLimit(max);
    this.#max = max;
    this.#options = options;
  }

  get concurrency(): number {
    return this.#limit.concurrency;
  }

  /** Runs one call through the gate, after any shared pause. */
  run<T>(call: () => Promise<T>): Promise<T> {
    return this.#limit(async () => {
      for (let wait = this.#pauseUntil - Date.now(); wait > 0; wait = this.#pauseUntil - Date.now()) await sleep(wait);
      const epoch = this.#epoch;
      try {
        const result = await call();
        this.#ok();
        return result;
      } catch (error) {
        if (this.#options.isTooMany(error)) this.#tooMany(epoch);
        else this.#ok();
        throw error;
      }
    });
  }

  #tooMany(epoch: number): void {
    this.#clean = 0;
    if (epoch !== this.#epoch) return; // sent before the last slow-down: already counted
    this.#epoch += 1;
    this.#strikes += 1;
    const next = Math.max(1, Math.floor(this.#limit.concurrency * 0.7));
    this.#limit.concurrency = next;
    const pause = Math.min(30_000, (this.#options.basePauseMs ?? 100) * 2 ** Math.min(this.#strikes - 1, 8)) * (1 + Math.random());
    this.#pauseUntil = Math.max(this.#pauseUntil, Date.now() + pause);
    this.#options.onEvent?.({ type: 'throttle', concurrency: next, pauseMs: Math.round(pause) });
  }

  #ok(): void {
    this.#strikes = 0;
    this.#clean += 1;
    // Probe upwards slowly: each probe above the org's limit costs one refusal.
    if (this.#limit.concurrency < this.#max && this.#clean >= 5 * this.#limit.concurrency) {
      this.#clean = 0;
      this.#limit.concurrency += 1;
    }
  }
}
