/**
 * The closed list of error codes the tool raises on purpose. Anything else that
 * escapes is a bug and is reported as such by main.ts.
 */
const errorCodes = [
  'USAGE', // bad command line
  'CONFIG', // bad or missing environment / job settings
  'INPUT', // the CSV (or another input file) cannot be used
  'ENDPOINT_NOT_ALLOWED', // a call outside the endpoint table
  'INVALID_ID', // an ID that is not all digits reached the client
  'API', // Zoho answered with an error (see ZohoApiError.kind)
  'AUTH', // credentials refused, even after a refresh
  'SAFETY_LIMIT', // a limit stopped the run before any write
  'CREDITS_EXHAUSTED', // the org's daily API credits ran out
  'LOCKED', // another run of the same job holds the lock
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export class ZdlabelsError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ZdlabelsError';
    this.code = code;
  }
}
