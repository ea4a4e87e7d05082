// What a run of the executor takes, tells as it goes, and gives back.
import type { JournalEntry } from '../rows/journal.js';
import type { RowTable } from '../rows/table.js';
import type { Status } from '../rows/types.js';
import type { ZohoClient } from '../zoho/client.js';
import type { GuardReport } from './guard.js';
import type { Stop, StopReason } from './stop.js';
import type { ThrottleEvent } from './throttle.js';

export type RunEvent =
  | ThrottleEvent
  | { type: 'retry'; batchId: string; attempt: number; error: string; free: boolean; delayMs: number }
  | { type: 'split'; batchId: string; reason: 'unclear' | 'too_large' | 'named'; parts: number; batchSize?: number | undefined }
  | { type: 'call_done'; batchId: string; rows: number; statuses: Partial<Record<Status, number>> }
  | { type: 'lesson'; signature: string; lesson: 'ids' | 'systematic' }
  | { type: 'labelids'; in: 'query' | 'body' }
  | { type: 'guard'; stage: string; message: string }
  | { type: 'stop'; reason: StopReason; message: string };

export interface ExecutorOptions {
  client: ZohoClient;
  table: RowTable;
  /** `remove` takes pairs off; `add` puts them back (restore, label-side batches only). */
  action: 'remove' | 'add';
  /** Most calls in flight (the learned limit never goes above it). */
  concurrency: number;
  retries: number;
  batchSize: number;
  helpCenterId?: string | undefined;
  /** First retry delay in ms (doubles, with jitter); tests make it small. */
  retryBaseMs?: number | undefined;
  /** Read before and after the first write of each side, and repair and stop if Zoho removed more than asked. */
  guard: boolean;
  /** Every finished call's rows, at once (the journal and the outcome store). */
  onFinished: (entry: JournalEntry) => void;
  onEvent?: ((event: RunEvent) => void) | undefined;
  /** Resolves when the user interrupts: nothing more is sent, calls in flight finish. */
  interrupted?: Promise<void> | undefined;
  /** Already stopped before the first call (the token refresh was refused): every row is deferred. */
  stoppedBefore?: Stop | undefined;
  /** Labels' members the command read before any write (label → user IDs): the guard need not read them again, and they are evidence of who held what. */
  knownMembers?: ReadonlyMap<string, ReadonlySet<string>> | undefined;
  /** Every row was a pair held when the run began (its rows came from member lists: retire-label, reconcile, prune). */
  rowsHeldAtStart?: boolean | undefined;
  /** 1 for each row read held before the first write (an email found among members, --check-members); kept by a resumed run's plan. */
  heldRows?: Uint8Array | undefined;
  /** A resumed run: a row the killed run had in flight may have been applied already. */
  resumed?: boolean | undefined;
}

export interface ExecutionResult {
  stop: Stop | undefined;
  /** Write calls sent. */
  writes: number;
  retries: number;
  /** Calls added by splitting unclear refusals and second resends (bounded: see splitBudget). */
  splitCalls: number;
  splitBudget: number;
  batchSizeCap: number | undefined;
  /** Where by-user calls carried `labelIds`, once a by-user call was answered. */
  labelIdsIn: 'body' | 'query' | undefined;
  guard: GuardReport;
  /** Reads made to explain refusals (existence, and membership pages: see Evidence). */
  evidenceReads: number;
}

/**
 * Extra write calls refusals may add beyond one resend per refused planned
 * batch: bisection's halves and probes, and any second resend of a batch's
 * rows. 16 (one bad ID in a batch of 50 needs at most 12) plus a tenth of the
 * plan. So a run's writes are at most its plan's calls, plus one per planned
 * batch Zoho refused for some of its IDs, plus this (retries of passing
 * failures and a smaller batch size after RESOURCE_SIZE_EXCEEDED aside).
 */
export const splitBudgetFor = (planCalls: number): number => 16 + Math.ceil(planCalls / 10);

/** Membership pages (a user's labels, a label's members: 3 credits each) a run may read to explain refusals. */
export const membershipPagesFor = (planCalls: number): number => Math.max(50, planCalls);
