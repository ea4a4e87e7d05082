import type { ApiErrorKind } from '../errors/ZohoApiError.js';
import { requiredScopes } from './endpoints.js';
import type { ZohoErrorBody } from './types.js';

const authCodes = new Set(['UNAUTHORIZED', 'INVALID_OAUTH', 'SCOPE_MISMATCH', 'OAUTH_ORG_MISMATCH', 'FORBIDDEN', 'LICENSE_ACCESS_LIMITED']);

/**
 * The coarse class of an error answer: what every caller must do about it.
 * What a refusal of a write means for each row (which ID, if any, is the
 * cause) is not decided here: run/verdict.ts reads the answer against the batch. Pure.
 */
export function classify(status: number, body: ZohoErrorBody | undefined): ApiErrorKind {
  const code = body?.errorCode;
  if (code === 'THRESHOLD_EXCEEDED') return 'credits';
  if (code === 'RESOURCE_SIZE_EXCEEDED' || status === 413) return 'too_large';
  if (code !== undefined && authCodes.has(code)) return 'auth';
  if (status === 401 || status === 403) return 'auth';
  if (status === 429 || status >= 500) return 'retryable';
  if (status === 404) return 'not_found';
  if (status === 422 && /exceed|too many|maximum/i.test(body?.message ?? '')) return 'too_large';
  return 'refused';
}

/** Whether a 401 says the token itself is no good (expired or revoked), so a fresh one may work. */
export function refusesToken(status: number, body: ZohoErrorBody | undefined): boolean {
  if (status !== 401) return false;
  const code = body?.errorCode;
  return code === undefined || code === 'INVALID_OAUTH' || code === 'UNAUTHORIZED';
}

const scopeAdvice = `the refresh token must be created with the scopes ${requiredScopes.join(',')}`;

/** What a user should do about an auth failure. `fresh`: Zoho Accounts had just issued the refused token. */
export function authHint(code: string | undefined, orgId: string | undefined, status: number, fresh = false): string {
  switch (code) {
    case 'SCOPE_MISMATCH':
      return `The token lacks a scope this call needs: ${scopeAdvice}.`;
    case 'OAUTH_ORG_MISMATCH':
      return `The token is not valid for organization ${orgId ?? '(none)'}. Check ZOHO_ORG_ID (\`zdlabels doctor\` lists the organizations the token can reach).`;
    case 'FORBIDDEN':
      return 'The Zoho user behind the token may not do this. Use a token of an administrator who manages Help Center users and labels.';
    case 'LICENSE_ACCESS_LIMITED':
      return "The organization's Zoho Desk edition does not allow this API.";
    case 'INVALID_OAUTH':
      if (status === 403 || fresh) {
        return `Zoho Desk refused a token that Zoho Accounts had just issued. Zoho reports a missing scope this way (${scopeAdvice}); or ZOHO_DC is not your account's data centre (a wrong data centre answers 401 even to a valid token).`;
      }
      return 'The access token was refused. Check ZOHO_DC (a wrong data centre answers 401 to a valid token), ZOHO_ORG_ID and the credentials.';
    default:
      if (status === 403) return 'Permission refused. Use a token of an administrator who manages Help Center users and labels.';
      if (fresh) return `Zoho Desk refused a token that Zoho Accounts had just issued: check ZOHO_DC (a wrong data centre answers 401 even to a valid token) and the scopes (${scopeAdvice}).`;
      return 'The access token was refused. Check ZOHO_DC (a wrong data centre answers 401 to a valid token), ZOHO_ORG_ID and the credentials.';
  }
}
