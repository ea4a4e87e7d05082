import type { ErrorCode } from './errors/ZdlabelsError.js';

/** Exit codes (../shared/DESIGN.md); README lists what a scheduler should do on each. */
export const exitCodes = {
  ok: 0,
  someRowsNotDone: 1,
  badInput: 2,
  auth: 3,
  drift: 4,
  safetyLimit: 5,
  creditsExhausted: 6,
  locked: 7,
} as const;

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
