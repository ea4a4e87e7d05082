// The probe's writes and reads on one label and one user, each write's answer
// kept raw, and the state put back after every step.
import { setTimeout as sleep } from 'node:timers/promises';
import { ZdlabelsError } from '../errors/ZdlabelsError.js';
import { ZohoApiError } from '../errors/ZohoApiError.js';
import type { CallEvent, ZohoClient } from '../zoho/client.js';
import { answeredError, answeredOk, type Answered } from './answer.js';
import { addBack, missingPairs, pairText, readHoldings, type Holdings, type Pair } from './holdings.js';

/** The probe could not put back what a step removed: it stops at once, and says what. */
export class NotRestoredError extends ZdlabelsError {
  readonly missing: Pair[];
  constructor(missing: Pair[]) {
    super('API', `could not put back ${missing.map(pairText).join(', ')}: add ${missing.length === 1 ? 'it' : 'them'} back by hand`);
    this.name = 'NotRestoredError';
    this.missing = missing;
  }
}

/** Sends of one probe write while the org answers 429 TOO_MANY_REQUESTS. */
const BUSY_TRIES = 5;

export interface SessionOptions {
  client: ZohoClient;
  labelId: string;
  userId: string;
  /** The label's members and the user's labels as found: what the probe must leave. */
  start: Holdings;
  /** The last call the client made (its raw status). */
  lastCall: () => CallEvent | undefined;
}

export class ProbeSession {
  readonly client: ZohoClient;
  readonly labelId: string;
  readonly userId: string;
  readonly start: Holdings;
  /** Memberships the probe added back, in order. */
  readonly addedBack: Pair[] = [];
  readonly #lastCall: () => CallEvent | undefined;

  constructor(o: SessionOptions) {
    this.client = o.client;
    this.labelId = o.labelId;
    this.userId = o.userId;
    this.start = o.start;
    this.#lastCall = o.lastCall;
  }

  /** `POST /labels/{L}/users/remove` with these userIds. */
  removeByLabel(userIds: string[]): Promise<Answered> {
    const sent = `POST /api/v1/labels/${this.labelId}/users/remove {"userIds":${JSON.stringify(userIds)}}`;
    return this.#send(sent, () => this.client.call('removeUsersFromLabel', { path: { labelId: this.labelId }, body: { userIds } }));
  }

  /** `POST /users/{U}/labels/remove` with labelIds [L] in the JSON body, or only in the query. */
  removeByUser(where: 'body' | 'query'): Promise<Answered> {
    const base = `POST /api/v1/users/${this.userId}/labels/remove`;
    const path = { userId: this.userId };
    if (where === 'body') {
      return this.#send(`${base} {"labelIds":["${this.labelId}"]}`, () => this.client.call('removeLabelsFromUser', { path, query: {}, body: { labelIds: [this.labelId] } }));
    }
    return this.#send(`${base}?labelIds=${this.labelId} (no body)`, () =>
      this.client.call('removeLabelsFromUser', { path, query: { labelIds: this.labelId }, body: undefined }),
    );
  }

  read(): Promise<Holdings> {
    return readHoldings(this.client, this.labelId, this.userId);
  }

  /**
   * Puts back whatever `now` (read when not given) lacks of `target`, reads
   * again, and stops the probe if anything is still missing. Returns the state read.
   */
  async settle(target: Holdings, now?: Holdings): Promise<Holdings> {
    const before = now ?? (await this.read());
    const missing = missingPairs(target, before, this.labelId, this.userId);
    if (missing.length === 0) return before;
    await addBack(this.client, missing);
    const after = await this.read();
    const still = missingPairs(target, after, this.labelId, this.userId);
    this.addedBack.push(...missing.filter((p) => !still.some((q) => q.labelId === p.labelId && q.userId === p.userId)));
    if (still.length > 0) throw new NotRestoredError(still);
    return after;
  }

  /**
   * Sends one probe write: a refusal is an answer to record, except those that
   * end the probe (auth, credits). Only 429 TOO_MANY_REQUESTS (other callers
   * using the org's concurrency; nothing applied) is sent again: any other
   * answer, even a 5xx, is what this org said and is reported as such.
   */
  async #send(sent: string, call: () => Promise<unknown>): Promise<Answered> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const data = await call();
        return answeredOk(sent, this.#lastCall(), data);
      } catch (error) {
        if (!(error instanceof ZohoApiError) || error.kind === 'auth' || error.kind === 'credits') throw error;
        if (error.errorCode !== 'TOO_MANY_REQUESTS' || attempt >= BUSY_TRIES) return answeredError(sent, error);
        await sleep(250 * 2 ** (attempt - 1));
      }
    }
  }
}
