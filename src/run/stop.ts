import { BudgetError } from '../errors/BudgetError.js';
import { ZohoApiError } from '../errors/ZohoApiError.js';
import { ZdlabelsError } from '../errors/ZdlabelsError.js';

/** Why a run stopped sending before the end. `unchecked`: a read the run needed before writing failed (the guard's). */
export type StopReason = 'auth' | 'credits' | 'interrupted' | 'systematic' | 'guard' | 'unchecked';

export interface Stop {
  reason: StopReason;
  message: string;
  /** Zoho's Retry-After when the day's credits ran out. */
  retryAfterSeconds?: number | undefined;
}

/** Why rows were not sent, as their message says it. */
export function notSentBecause(stop: Stop): string {
  switch (stop.reason) {
    case 'credits':
      return stop.retryAfterSeconds
        ? `the organization's API credits for the day ran out (back in about ${Math.ceil(stop.retryAfterSeconds / 60)} min)`
        : stop.message.startsWith('stopped ') ? stop.message : "the organization's API credits ran out";
    case 'interrupted':
      return 'the run was interrupted';
    case 'auth':
      return 'authentication was refused; fix it first';
    case 'systematic':
      return 'calls were being refused the same way; fix the cause first';
    case 'guard':
      return 'the first-write guard stopped the run';
    case 'unchecked':
      return 'the first-write guard could not read what the first write would touch';
  }
}

/** What a row not sent says to do: run again, except after the guard tripped (check first). */
export function notSentMessage(stop: Stop): string {
  const then = stop.reason === 'guard' ? 'check with `zdlabels doctor --probe` before running again' : 'run again with --resume';
  return `not sent: ${notSentBecause(stop)}; ${then}`;
}

/** What the last attempt of a call came to, for a row that was sent but not finished. */
export function describeFailure(error: unknown): string {
  if (error instanceof ZohoApiError) {
    if (error.status === undefined) {
      return `no answer (${error.detail}): Zoho may have applied it`;
    }
    return `HTTP ${error.status}${error.errorCode ? ` ${error.errorCode}` : ''}${error.detail ? ` "${error.detail}"` : ''}`;
  }
  // Other messages are sentences; they are quoted inside a row's message, so they lose their full stop.
  const text = error instanceof BudgetError || error instanceof Error ? error.message : String(error);
  return text.replace(/\.\s*$/, '');
}

/**
 * The stop an error outside a write's answer calls for (a read the run needed
 * before writing): credits and auth as such; anything else stops the run as
 * `context` says (the first-write guard's), since nothing may be sent unguarded.
 */
export function stopFor(error: unknown, context: string): Stop {
  if (error instanceof BudgetError) return { reason: 'credits', message: error.message };
  if (error instanceof ZohoApiError && (error.kind === 'auth' || error.kind === 'credits')) return { reason: error.kind, message: error.message, retryAfterSeconds: error.retryAfterSeconds };
  if (error instanceof ZdlabelsError && (error.code === 'AUTH' || error.code === 'CONFIG')) return { reason: 'auth', message: error.message };
  return { reason: 'unchecked', message: `${context} (${error instanceof Error ? error.message : String(error)}); nothing more was sent. Run again, or pass --no-guard to go without it` };
}
