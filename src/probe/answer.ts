// What one probe call was and what Zoho answered, as raw as the client lets us see it.
import { ZohoApiError } from '../errors/ZohoApiError.js';
import type { CallEvent } from '../zoho/client.js';
import type { MassActionResult } from '../zoho/types.js';

interface FieldError {
  fieldName?: string;
  errorType?: string;
  errorMessage?: string;
}

/** One write the probe sent and Zoho's answer to it. */
export interface Answered {
  /** What was sent, in words: "POST /api/v1/labels/L/users/remove {userIds:[U]}". */
  sent: string;
  /** HTTP status; undefined when no answer came (timeout, dropped connection). */
  status: number | undefined;
  errorCode?: string | undefined;
  message?: string | undefined;
  /** The 422's `errors` array; undefined when the answer had no such key. */
  errors?: FieldError[] | undefined;
  /** The by-user endpoint's per-label results (a 200). */
  results?: MassActionResult[] | undefined;
}

const is2xx = (status: number | undefined): boolean => status !== undefined && status >= 200 && status < 300;

/** Whether Zoho accepted the call (any 2xx). */
export const accepted = (a: Answered): boolean => is2xx(a.status);

/** An answer from a successful call: its status as the client saw it on the wire. */
export function answeredOk(sent: string, event: CallEvent | undefined, data: unknown): Answered {
  const results = (data as { results?: MassActionResult[] } | undefined)?.results;
  return { sent, status: event?.status ?? 200, ...(Array.isArray(results) ? { results } : {}) };
}

/** An answer from a refused call. */
export function answeredError(sent: string, error: ZohoApiError): Answered {
  return {
    sent,
    status: error.status,
    errorCode: error.errorCode,
    message: error.detail,
    ...(error.fieldErrors === undefined ? {} : { errors: error.fieldErrors }),
  };
}

/** The answer in a few words: `HTTP 422 INVALID_DATA (errors: /labelIds missing)`. */
export function describeAnswer(a: Answered): string {
  if (a.status === undefined) return `no answer (${a.errorCode ?? 'network'}${a.message ? `: ${a.message}` : ''})`;
  const parts = [`HTTP ${a.status}`];
  if (a.errorCode) parts.push(a.errorCode);
  if (a.errors !== undefined) parts.push(`(errors: ${a.errors.map((f) => `${f.fieldName ?? '?'} ${f.errorType ?? ''}`.trim()).join('; ') || 'empty'})`);
  else if (!is2xx(a.status)) parts.push('(no errors array)');
  if (a.message) parts.push(`"${a.message}"`);
  for (const r of a.results ?? []) {
    parts.push(`result for ${r.id ?? '?'}: ${r.success ? 'success' : `failed ${String(r.errors?.httpCode ?? '')} ${r.errors?.errorCode ?? ''} "${r.errors?.error ?? ''}"`.replace(/\s+/g, ' ')}`);
  }
  return parts.join(' ');
}
