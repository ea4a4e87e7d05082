import { ZdlabelsError } from './ZdlabelsError.js';

/** The token endpoint refused the credentials; the message says which to check. */
export class TokenRefreshError extends ZdlabelsError {
  readonly zohoError: string | undefined;
  readonly status: number | undefined;
  /** `throttled`: Zoho Accounts refuses refreshes for a while (too many); waiting is the fix. */
  readonly reason: 'refused' | 'throttled';
  constructor(message: string, details: { zohoError?: string | undefined; status?: number | undefined; reason?: 'refused' | 'throttled'; cause?: unknown } = {}) {
    super('AUTH', message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TokenRefreshError';
    this.zohoError = details.zohoError;
    this.status = details.status;
    this.reason = details.reason ?? 'refused';
  }
}
