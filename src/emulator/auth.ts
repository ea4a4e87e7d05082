// Zoho Accounts' token endpoint and Desk's checks of every call: the
// Zoho-oauthtoken header, the token's life, its scopes, and the orgId header.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { endpoints, needsOrgId, type EndpointName } from '../zoho/endpoints.js';
import { error, INVALID_OAUTH_MESSAGE, invalid, type Answer } from './answers.js';
import { isId } from './ids.js';
import type { EmulatorKnobs } from './knobs.js';

export interface Credentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

export interface TokenRequest {
  at: number;
  ok: boolean;
  /** Why it was refused: `invalid_code`, … or `throttled`. */
  error?: string;
}

/** Scopes of the one call outside the endpoint table (Label.json deleteLabel). */
const deleteLabelScopes = ['Desk.contacts.DELETE', 'Desk.settings.DELETE'];
const scopesOf = (endpoint: EndpointName | 'deleteLabel'): readonly string[] =>
  endpoint === 'deleteLabel' ? deleteLabelScopes : endpoints[endpoint].scopes;

const THROTTLE_WINDOW_MS = 10 * 60 * 1000;
const throttleBodies = {
  en: { error: 'Access Denied', error_description: 'You have made too many requests continuously. Please try again after some time.', status: 'failure' },
  zh: { error: '拒绝访问', error_description: '您连续发出的请求太多。请稍后再试。', status: 'failure' },
} as const;

export class Auth {
  readonly requests: TokenRequest[] = [];
  readonly #tokens = new Map<string, { expiresAt: number; callsLeft: number }>();
  readonly #knobs: EmulatorKnobs;
  readonly #credentials: Credentials;
  readonly #orgIds: Set<string>;
  /** When recent refreshes succeeded (for the throttle), and until when it refuses. */
  #refreshes: number[] = [];
  #blockedUntil = 0;

  constructor(knobs: EmulatorKnobs, credentials: Credentials, orgIds: Iterable<string>) {
    this.#knobs = knobs;
    this.#credentials = credentials;
    this.#orgIds = new Set(orgIds);
  }

  /** Makes every access token issued so far invalid, as if they had expired. */
  expireTokens(): void {
    this.#tokens.clear();
  }

  /** `POST /oauth/v2/token`: form fields from the body or the query, as Zoho takes them. */
  token(form: URLSearchParams, query: URLSearchParams): Answer {
    const now = Date.now();
    if (this.#throttled(now)) return this.#refuse('throttled', { status: 400, body: throttleBodies[this.#knobs.refreshThrottleLocale] });
    const get = (k: string) => form.get(k) ?? query.get(k);
    const c = this.#credentials;
    const wrong =
      get('grant_type') !== 'refresh_token' ? 'unsupported_grant_type'
      : get('client_id') !== c.clientId ? 'invalid_client'
      : get('client_secret') !== c.clientSecret ? 'invalid_client_secret'
      : get('refresh_token') !== c.refreshToken ? 'invalid_code'
      : undefined;
    // Zoho reports a bad refresh request with HTTP 200 and an `error` field [3P]; 400 is as plausible.
    if (wrong) return this.#refuse(wrong, { status: this.#knobs.refreshRefusalStatus, body: { error: wrong } });
    const access = `emu-access-${randomBytes(12).toString('hex')}`;
    const k = this.#knobs;
    this.#tokens.set(access, { expiresAt: now + k.tokenLifetimeSeconds * 1000, callsLeft: k.tokenLifetimeCalls });
    this.#refreshes.push(now);
    this.requests.push({ at: now, ok: true });
    return { status: 200, body: { access_token: access, expires_in: k.tokenLifetimeSeconds, api_domain: k.apiDomain, token_type: 'Bearer' } };
  }

  /**
   * The refresh throttle: after `refreshThrottleAfter` refreshes within 10
   * minutes every request is refused, and each refused one extends the block.
   */
  #throttled(now: number): boolean {
    const blocked = now < this.#blockedUntil;
    this.#refreshes = this.#refreshes.filter((t) => now - t < THROTTLE_WINDOW_MS);
    if (!blocked && this.#refreshes.length < this.#knobs.refreshThrottleAfter) return false;
    this.#refreshes = [];
    this.#blockedUntil = now + this.#knobs.refreshThrottleSeconds * 1000;
    return true;
  }

  #refuse(reason: string, answer: Answer): Answer {
    this.requests.push({ at: Date.now(), ok: false, error: reason });
    return answer;
  }

  /** Checks a Desk call's token, scopes and org; undefined when it may be served. */
  authorize(headers: IncomingHttpHeaders, endpoint: EndpointName | 'deleteLabel'): Answer | undefined {
    const m = /^Zoho-oauthtoken (\S+)$/.exec(headers.authorization ?? '');
    if (!m) return error(401, 'UNAUTHORIZED', 'You are not authenticated to perform this operation. (Zoho-oauthtoken header missing)');
    const t = this.#tokens.get(m[1]!);
    if (!t || t.expiresAt <= Date.now() || t.callsLeft <= 0) {
      return this.#knobs.invalidTokenBody === 'empty' ? { status: 401 } : error(401, 'INVALID_OAUTH', INVALID_OAUTH_MESSAGE);
    }
    t.callsLeft -= 1;
    if (!scopesOf(endpoint).every((s) => this.#knobs.scopes.includes(s))) return this.#scopeRefusal();
    if (endpoint !== 'deleteLabel' && !needsOrgId(endpoint)) return undefined;
    return this.#checkOrg(headers.orgid);
  }

  #scopeRefusal(): Answer {
    switch (this.#knobs.scopeError) {
      case 'SCOPE_MISMATCH-401':
        return error(401, 'SCOPE_MISMATCH', 'The OAuth token does not have the scope needed for this operation.');
      case 'INVALID_OAUTH-401':
        return error(401, 'INVALID_OAUTH', INVALID_OAUTH_MESSAGE);
      case 'INVALID_OAUTH-403':
        return error(403, 'INVALID_OAUTH', INVALID_OAUTH_MESSAGE);
    }
  }

  #checkOrg(orgId: string | string[] | undefined): Answer | undefined {
    const k = this.#knobs;
    if (typeof orgId !== 'string' || orgId === '') return invalid(k, '/orgId', 'missing', 'the orgId header is required', 'The orgId header is missing.');
    if (!isId(orgId)) return invalid(k, '/orgId', 'invalid', 'orgId must be digits', 'The orgId header is not an organization ID.');
    if (!this.#orgIds.has(orgId)) return error(k.orgMismatchStatus, 'OAUTH_ORG_MISMATCH', 'The OAuth token does not belong to the given organization.');
    return undefined;
  }
}
