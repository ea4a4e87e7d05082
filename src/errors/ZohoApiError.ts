import { ZdlabelsError } from './ZdlabelsError.js';

/**
 * What the executor does with a failed call:
 * - retryable: 5xx, dropped connection, timeout, 429 TOO_MANY_REQUESTS: back off and try again
 * - auth: refused credentials or permission, even after a refresh: stop the run
 * - credits: 429 THRESHOLD_EXCEEDED: the day's credits are spent: stop, defer the rest
 * - not_found: 404: for a read, the thing does not exist; for a write, a read must tell why
 * - too_large: the batch has more IDs than Zoho takes: split it, keep the smaller size
 * - refused: any other refusal (400, 422, …): what it means for each row is judged against the batch (run/verdict.ts)
 */
export type ApiErrorKind = 'retryable' | 'auth' | 'credits' | 'not_found' | 'too_large' | 'refused';

export interface ZohoApiErrorDetails {
  method: string;
  path: string;
  /** HTTP status; undefined when no answer came (timeout, dropped connection). */
  status: number | undefined;
  /** Zoho's `errorCode`, or TIMEOUT / NETWORK when there was no answer. */
  errorCode: string | undefined;
  /** Zoho's `message`, or what went wrong on the wire. */
  detail: string;
  kind: ApiErrorKind;
  retryAfterSeconds?: number | undefined;
  hint?: string | undefined;
  /** Zoho's per-field errors of a 422 INVALID_DATA. */
  fieldErrors?: { fieldName?: string; errorType?: string; errorMessage?: string }[] | undefined;
  cause?: unknown;
}

export class ZohoApiError extends ZdlabelsError {
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly errorCode: string | undefined;
  readonly detail: string;
  readonly kind: ApiErrorKind;
  readonly retryAfterSeconds: number | undefined;
  readonly hint: string | undefined;
  readonly fieldErrors: ZohoApiErrorDetails['fieldErrors'];

  constructor(d: ZohoApiErrorDetails) {
    const code = d.kind === 'auth' ? 'AUTH' : d.kind === 'credits' ? 'CREDITS_EXHAUSTED' : 'API';
    const answer = d.status === undefined ? 'no answer' : `HTTP ${d.status}`;
    const parts = [`${d.method} ${d.path} failed: ${answer}${d.errorCode ? ` ${d.errorCode}` : ''}`];
    if (d.detail) parts.push(d.detail);
    const fields = (d.fieldErrors ?? []).map((f) => f.errorMessage ?? `${f.fieldName ?? '?'} ${f.errorType ?? ''}`.trim());
    if (fields.length > 0) parts.push(fields.join('; '));
    if (d.hint) parts.push(d.hint);
    super(code, parts.join(' — '), d.cause === undefined ? undefined : { cause: d.cause });
    this.name = 'ZohoApiError';
    this.method = d.method;
    this.path = d.path;
    this.status = d.status;
    this.errorCode = d.errorCode;
    this.detail = d.detail;
    this.kind = d.kind;
    this.retryAfterSeconds = d.retryAfterSeconds;
    this.hint = d.hint;
    this.fieldErrors = d.fieldErrors;
  }
}
