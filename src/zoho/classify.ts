import type { ApiErrorKind } from '../errors/ZohoApiError.js';
import type { ZohoErrorBody } from './types.js';

export const requiredScopes = [
  'Desk.contacts.READ',
  'Desk.contacts.UPDATE',
  'Desk.settings.READ',
  'Desk.settings.UPDATE',
  'Desk.search.READ',
  'Desk.basic.READ',
] as const;

const authCodes = new Set(['UNAUTHORIZED', 'INVALID_OAUTH', 'SCOPE_MISMATCH', 'OAUTH_ORG_MISMATCH', 'FORBIDDEN', 'LICENSE_ACCESS_LIMITED']);

/** Decides what the executor should do with an error answer. Pure. */
export function classify(status: number, body: ZohoErrorBody | undefined): ApiErrorKind {
  const code = body?.errorCode;
  if (code === 'THRESHOLD_EXCEEDED') return 'credits';
  if (code === 'RESOURCE_SIZE_EXCEEDED' || status === 413) return 'too_large';
  if (code !== undefined && authCodes.has(code)) return 'auth';
  if (status === 401 || status === 403) return 'auth';
  if (status === 429 || status >= 500) return 'retryable';
  if (status === 404) return 'not_found';
  if (status === 422) {
    // A 422 that names the size is a batch too large; one that names IDs (or
    // nothing) is a bad ID somewhere in the batch; any other is our request's fault.
    if (/exceed|too many|maximum/i.test(body?.message ?? '')) return 'too_large';
    const fields = (body?.errors ?? []).map((e) => e.fieldName ?? '');
    if (fields.length === 0 || fields.some((f) => /ids?\b|Id/i.test(f))) return 'not_found';
    return 'permanent';
  }
  return 'permanent';
}

/** What a user should do about an auth failure. */
export function authHint(code: string | undefined, orgId: string | undefined, status: number): string {
  switch (code) {
    case 'SCOPE_MISMATCH':
      return `The token lacks a scope this call needs. Create the refresh token with the scopes ${requiredScopes.join(',')}.`;
    case 'OAUTH_ORG_MISMATCH':
      return `The token is not valid for organization ${orgId ?? '(none)'}. Check ZOHO_ORG_ID (\`zdlabels doctor\` lists the organizations the token can reach).`;
    case 'FORBIDDEN':
      return 'The Zoho user behind the token may not do this. Use a token of an administrator who manages Help Center users and labels.';
    case 'LICENSE_ACCESS_LIMITED':
      return "The organization's Zoho Desk edition does not allow this API.";
    default:
      if (status === 403) return 'Permission refused. Use a token of an administrator who manages Help Center users and labels.';
      return 'The access token was refused even after a refresh. Check ZOHO_DC (a wrong data centre answers 401 to a valid token), ZOHO_ORG_ID and the credentials.';
  }
}
