// Pure: what each answer the probe saw says about one unknown of Zoho's API.
// No I/O. Values use the emulator's words (src/emulator/knobs.ts) where
// Zoho's answer matches one of its options, and say so plainly where not.
import { accepted, type Answered } from './answer.js';

/** Where the by-user removal reads `labelIds`. */
export type Placement = 'body' | 'query' | 'both' | 'neither';

export function placementOf(bodyApplied: boolean, queryApplied: boolean): Placement {
  if (bodyApplied && queryApplied) return 'both';
  if (bodyApplied) return 'body';
  return queryApplied ? 'query' : 'neither';
}

/**
 * The by-user call sent with `labelIds` where this org does not read them:
 * the refusal that shows how a request-level problem is answered.
 */
export function wrongPlaceAnswer(placement: Placement, body: Answered | undefined, query: Answered | undefined): Answered | undefined {
  if (placement === 'body') return query;
  if (placement === 'query') return body;
  return placement === 'neither' ? body : undefined;
}

/** How a 422 is shaped: with an `errors` array naming fields, or without. */
export type ErrorsShape = 'with' | 'without' | 'other' | 'not observed';

export function errorsShapeOf(a: Answered | undefined): ErrorsShape {
  if (a === undefined || a.status === undefined || accepted(a)) return 'not observed';
  if (a.status !== 422) return 'other';
  return a.errors !== undefined && a.errors.length > 0 ? 'with' : 'without';
}

/** What removing a user who exists but does not hold the label answers. */
export type NonMemberAnswer = 'success' | '404' | '422' | 'other' | 'not observed';

const byStatus = (status: number | undefined): NonMemberAnswer => (status === 404 ? '404' : status === 422 ? '422' : 'other');

export function nonMemberByLabelOf(a: Answered | undefined): NonMemberAnswer {
  if (a === undefined || a.status === undefined) return 'not observed';
  return accepted(a) ? 'success' : byStatus(a.status);
}

/** By user, the answer is a 200 whose result for the label says; or the whole call is refused. */
export function nonMemberByUserOf(a: Answered | undefined, labelId: string): NonMemberAnswer {
  if (a === undefined || a.status === undefined) return 'not observed';
  if (!accepted(a)) return byStatus(a.status);
  const result = a.results?.find((r) => r.id === labelId);
  if (!result) return 'other';
  if (result.success) return 'success';
  return byStatus(Number(result.errors?.httpCode ?? NaN));
}

/** A user ID that does not exist inside a label batch: the whole call refused, or the ID skipped. */
export type BatchAnswer = 'reject' | 'ignore' | 'other' | 'not observed';

/** `knownRemoved`: whether the batch's existing member was removed (read back). */
export function unknownInBatchOf(a: Answered, knownRemoved: boolean): BatchAnswer {
  if (a.status === undefined) return 'not observed';
  if (accepted(a)) return knownRemoved ? 'ignore' : 'other';
  return knownRemoved ? 'other' : 'reject';
}

/** What one removal took: only what was listed, everything, more than listed (not all), or nothing. */
export type ScopeValue = 'listed' | 'all' | 'more' | 'undetermined' | 'nothing';

export interface Scope {
  value: ScopeValue;
  /** IDs the target lost that were not sent. */
  unasked: string[];
  /** IDs the target held besides those sent (what "all" would take). */
  others: number;
}

/** Compares what a target (a label's members, a user's labels) held before and after a removal of `sent`. */
export function scopeOf(before: ReadonlySet<string>, after: ReadonlySet<string>, sent: readonly string[]): Scope {
  const vanished = [...before].filter((id) => !after.has(id));
  const unasked = vanished.filter((id) => !sent.includes(id));
  const others = [...before].filter((id) => !sent.includes(id)).length;
  if (unasked.length > 0) return { value: unasked.length === others ? 'all' : 'more', unasked, others };
  if (vanished.length === 0) return { value: 'nothing', unasked, others };
  return { value: others === 0 ? 'undetermined' : 'listed', unasked, others };
}
