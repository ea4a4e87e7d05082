/** What happened to one input row; every row ends in exactly one (`added` is restore's `removed`). */
export const statuses = ['removed', 'added', 'planned', 'invalid', 'duplicate', 'not_found', 'failed', 'deferred'] as const;
export type Status = (typeof statuses)[number];

/** Statuses a resumed run keeps; the others are tried again. */
export const finalStatuses: ReadonlySet<Status> = new Set(['removed', 'added', 'invalid', 'duplicate', 'not_found']);

/** Statuses that count as done for the exit code. */
export const doneStatuses: ReadonlySet<Status> = new Set(['removed', 'added', 'planned', 'duplicate']);

/** A valid (user, label) pair and the 1-based data row it came from. */
export interface Pair {
  row: number;
  userId: string;
  labelId: string;
}

/** A data row as read: values trimmed, and the problem if it cannot be sent. */
export interface InputRow extends Pair {
  /** Line of the file the row ends on (for messages). */
  line: number;
  problem?: { status: 'invalid' | 'duplicate'; message: string };
}

export interface Outcome {
  row: number;
  userId: string;
  labelId: string;
  status: Status;
  httpStatus?: number | undefined;
  errorCode?: string | undefined;
  message?: string | undefined;
  attempts: number;
  batchId?: string | undefined;
  finishedAt: string;
  /** With --verify: whether a read-back confirmed the change. */
  verified?: 'yes' | 'no' | undefined;
}
