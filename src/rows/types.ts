/**
 * What happened to one input row; every row ends in exactly one. `added` is
 * restore's `removed`; `not_member` means there was nothing to remove (the
 * user does not hold the label), shown by a read, not guessed.
 */
export const statuses = ['removed', 'added', 'planned', 'invalid', 'duplicate', 'not_member', 'not_found', 'failed', 'deferred'] as const;
export type Status = (typeof statuses)[number];

/** Statuses a resumed run keeps; the others are tried again. */
export const finalStatuses: ReadonlySet<Status> = new Set(['removed', 'added', 'invalid', 'duplicate', 'not_member', 'not_found']);

/** Statuses that count as done for the exit code. */
export const doneStatuses: ReadonlySet<Status> = new Set(['removed', 'added', 'planned', 'duplicate', 'not_member']);

/** One row's outcome as an object: for messages, tests and small lists (the store keeps columns). */
export interface Outcome {
  /** The row number shown in the results (1-based; restore shows the source file's). */
  row: number;
  userId: string;
  labelId: string;
  status: Status;
  httpStatus?: number | undefined;
  errorCode?: string | undefined;
  message?: string | undefined;
  attempts: number;
  batchId?: string | undefined;
  /** Epoch milliseconds; 0 when the row was never finished. */
  finishedAt: number;
  verified?: 'yes' | 'no' | undefined;
}
