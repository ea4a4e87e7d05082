import type { ErrorCode } from './errors/ZdlabelsError.js';

/** Exit codes (../shared/DESIGN.md, and 8 for the guard); README lists what a scheduler should do on each. */
export const exitCodes = {
  ok: 0,
  someRowsNotDone: 1,
  badInput: 2,
  auth: 3,
  drift: 4,
  safetyLimit: 5,
  creditsExhausted: 6,
  locked: 7,
  guardTripped: 8,
  /** Not one of ours: a bug, reported with its stack (EX_SOFTWARE of sysexits.h). */
  internalError: 70,
} as const;

/** The exit code of an error that ends a command. */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'USAGE':
    case 'CONFIG':
    case 'INPUT':
    case 'INVALID_ID':
    case 'ENDPOINT_NOT_ALLOWED':
      return exitCodes.badInput;
    case 'AUTH':
      return exitCodes.auth;
    case 'SAFETY_LIMIT':
      return exitCodes.safetyLimit;
    case 'CREDITS_EXHAUSTED':
      return exitCodes.creditsExhausted;
    case 'LOCKED':
      return exitCodes.locked;
    case 'API':
      return exitCodes.someRowsNotDone;
  }
}

/** The exit code of a run that went to the end or stopped: what stopped it, else whether every row is done. */
export function exitCodeForRun(stoppedBy: 'auth' | 'credits' | 'interrupted' | 'systematic' | 'guard' | 'unchecked' | undefined, allDone: boolean): number {
  switch (stoppedBy) {
    case 'auth':
      return exitCodes.auth;
    case 'credits':
      return exitCodes.creditsExhausted;
    case 'guard':
      return exitCodes.guardTripped;
    case 'interrupted':
    case 'systematic':
    case 'unchecked':
      return exitCodes.someRowsNotDone;
    case undefined:
      return allDone ? exitCodes.ok : exitCodes.someRowsNotDone;
  }
}
