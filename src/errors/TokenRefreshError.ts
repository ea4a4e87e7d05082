import { ZdlabelsError } from './ZdlabelsError.js';

/** The token endpoint refused the credentials; the message says which to check. */
export class TokenRefreshError extends ZdlabelsError {
  readonly zohoError: string | undefined;
  readonly status: number | undefined;
  constructor(message: string, details: { zohoError?: string | undefined; status?: number | undefined; cause?: unknown } = {}) {
    super('AUTH', message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TokenRefreshError';
    this.zohoError = details.zohoError;
    this.status = details.status;
  }
}
