import pLimit, { type LimitFunction } from 'p-limit';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ThrottleEvent {
  type: 'throttle';
  concurrency: number;
  pauseMs: number;
}

/**
 * The gate every call passes: at most `concurrency` calls in flight (p-limit),
 * lowered for everyone when Zoho answers 429 TOO_MANY_REQUESTS, with a shared
 * pause, then raised back one step per `concurrency` clean calls (AIMD).
 */
export class Throttle {
  readonly #limit: LimitFunction;
  readonly #max: number;
  readonly #baseMs: number;
  readonly #onEvent: ((e: ThrottleEvent) => void) | undefined;
  #pauseUntil = 0;
  #strikes = 0;
  #clean = 0;

  constructor(max: number, options: { basePauseMs?: number; onEvent?: (e: ThrottleEvent) => void } = {}) {
    this.#limit = pLimit(max);
    this.#max = max;
    this.#baseMs = options.basePauseMs ?? 250;
    this.#onEvent = options.onEvent;
  }

  get concurrency(): number {
    return this.#limit.concurrency;
  }

  /** Runs one call through the gate, after any shared pause. */
  run<T>(call: () => Promise<T>): Promise<T> {
    return this.#limit(async () => {
      for (let wait = this.#pauseUntil - Date.now(); wait > 0; wait = this.#pauseUntil - Date.now()) await sleep(wait);
      return call();
    });
  }

  /** A 429 TOO_MANY_REQUESTS: everyone slows down. */
  tooMany(): void {
    this.#clean = 0;
    this.#strikes += 1;
    const next = Math.max(1, Math.floor(this.#limit.concurrency * 0.7));
    this.#limit.concurrency = next;
    const pause = Math.min(30_000, this.#baseMs * 2 ** Math.min(this.#strikes - 1, 7)) * (1 + Math.random());
    this.#pauseUntil = Math.max(this.#pauseUntil, Date.now() + pause);
    this.#onEvent?.({ type: 'throttle', concurrency: next, pauseMs: Math.round(pause) });
  }

  /** A call that was not refused for concurrency. */
  ok(): void {
    this.#strikes = 0;
    this.#clean += 1;
    if (this.#limit.concurrency < this.#max && this.#clean >= this.#limit.concurrency) {
      this.#clean = 0;
      this.#limit.concurrency += 1;
    }
  }
}
