import { ConfigError } from '../errors/ConfigError.js';
import { TokenRefreshError } from '../errors/TokenRefreshError.js';
import { defaultTimeoutMs, type Credentials } from './config.js';
import { dataCentreOfApiDomain, type DataCentre } from './datacentres.js';
import { parseJsonKeepingIds } from './json.js';

export type FetchLike = typeof fetch;

export interface TokenSourceOptions {
  accountsUrl: string;
  credentials: Credentials;
  fetch?: FetchLike;
  timeoutMs?: number;
  /** Called after each successful refresh (for logs; never given the token). */
  onRefresh?: (info: { expiresInSeconds: number }) => void;
  /** Most refreshes in a rolling 10 minutes (default 10, Zoho's own limit per refresh token). */
  maxRefreshesPer10Min?: number;
  /** The data centre the configuration names: a token issued for another one is refused before any write. */
  dataCentre?: { name: DataCentre; variable: string } | undefined;
  now?: () => number;
}

/** How long to leave Zoho Accounts alone after it throttled us (it clears after 15–30 minutes of silence). */
const THROTTLE_QUIET_MS = 15 * 60_000;

/** Explains a token endpoint `error` value in terms of the variables to check. */
function explain(error: string): string {
  switch (error) {
    case 'invalid_code':
    case 'invalid_grant':
      return 'the refresh token was refused: check ZOHO_REFRESH_TOKEN (revoked, mistyped, or issued in another data centre than ZOHO_DC)';
    case 'invalid_client':
      return 'the client was refused: check ZOHO_CLIENT_ID and that ZOHO_DC is the data centre the client was created in';
    case 'invalid_client_secret':
      return 'the client secret was refused: check ZOHO_CLIENT_SECRET';
    default:
      return 'check ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN and ZOHO_DC';
  }
}

/**
 * Zoho Accounts' refresh throttle: HTTP 400 `{"error":"Access Denied",
 * "error_description":"You have made too many requests continuously…",
 * "status":"failure"}`, sometimes localised (the `error` in another script),
 * and the OAuth-style `access_denied`.
 */
function isThrottle(status: number, body: Record<string, unknown>): boolean {
  const error = typeof body.error === 'string' ? body.error : '';
  const description = typeof body.error_description === 'string' ? body.error_description : '';
  if (error === 'access_denied' || /access denied/i.test(error) || /too many requests/i.test(description)) return true;
  // A localised "Access Denied" with status failure: not one of OAuth's ASCII error codes.
  return status === 400 && body.status === 'failure' && /[^\x20-\x7e]/.test(error);
}

/** Per token: calls in flight with it, and whether Zoho ever accepted it. */
interface TokenUse {
  inflight: number;
  accepted: boolean;
  idle: (() => void)[];
}

/**
 * Hands out the access token. One refresh is shared by every concurrent caller
 * (single-flight), and a refresh happens only when the token in use is the one
 * refused: N workers holding an expired token cost one refresh, and a worker
 * refused with an older token just takes the current one.
 */
export class TokenSource {
  readonly #options: TokenSourceOptions;
  readonly #fetch: FetchLike;
  readonly #now: () => number;
  #token: string | undefined;
  #expiresAt = 0;
  #inflight: Promise<string> | undefined;
  #refreshTimes: number[] = [];
  #throttledUntil = 0;
  #throttleError: TokenRefreshError | undefined;
  readonly #uses = new Map<string, TokenUse>();

  constructor(options: TokenSourceOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
    if (options.credentials.kind === 'access') {
      this.#token = options.credentials.accessToken;
      this.#expiresAt = Number.POSITIVE_INFINITY;
    }
  }

  get canRefresh(): boolean {
    return this.#options.credentials.kind === 'refresh';
  }

  /** The current token, refreshing first if there is none or it is about to expire. */
  async get(): Promise<string> {
    if (this.#token !== undefined && this.#now() < this.#expiresAt) return this.#token;
    return this.#refresh();
  }

  /** A call is about to be sent with `token`. */
  begin(token: string): void {
    const use = this.#uses.get(token) ?? { inflight: 0, accepted: false, idle: [] };
    use.inflight += 1;
    this.#uses.set(token, use);
  }

  /** The call sent with `token` was answered: `accepted` unless Zoho refused the token itself; undefined when no answer came. */
  end(token: string, accepted: boolean | undefined): void {
    const use = this.#uses.get(token);
    if (!use) return;
    use.inflight -= 1;
    if (accepted) use.accepted = true;
    if (use.inflight === 0) for (const wake of use.idle.splice(0)) wake();
  }

  /**
   * Called when `rejected` was refused (401 INVALID_OAUTH). Returns the token to
   * try next: the current one if another caller already replaced `rejected`; a
   * fresh one if `rejected` once worked (it expired). Returns undefined when
   * `rejected` was never accepted by any call, once every call using it has
   * been answered: a token Zoho Accounts just issued that Desk refuses points
   * at the data centre or the scopes, and refreshing again would not help.
   */
  async replace(rejected: string): Promise<string | undefined> {
    if (this.#token !== undefined && this.#token !== rejected) return this.#token;
    if (!this.canRefresh) {
      throw new TokenRefreshError(
        'ZOHO_ACCESS_TOKEN was refused (expired or revoked) and cannot be refreshed: set ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN instead, or a fresh ZOHO_ACCESS_TOKEN.',
      );
    }
    const use = this.#uses.get(rejected);
    if (use && !use.accepted && use.inflight > 0) await new Promise<void>((wake) => use.idle.push(wake));
    if (this.#token !== undefined && this.#token !== rejected) return this.#token;
    if (!this.#uses.get(rejected)?.accepted) return undefined;
    return this.#refresh();
  }

  #refresh(): Promise<string> {
    this.#inflight ??= this.#doRefresh().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #doRefresh(): Promise<string> {
    const creds = this.#options.credentials;
    if (creds.kind !== 'refresh') throw new TokenRefreshError('No refresh credentials.');
    const now = this.#now();
    // After a throttle, asking again only extends the block: fail at once.
    if (this.#throttleError && now < this.#throttledUntil) throw this.#throttleError;
    this.#refreshTimes = this.#refreshTimes.filter((t) => now - t < 600_000);
    const max = this.#options.maxRefreshesPer10Min ?? 10;
    if (this.#refreshTimes.length >= max) {
      throw new TokenRefreshError(
        `Refused to refresh the access token a ${max + 1}th time in 10 minutes (Zoho allows ${max}): access tokens keep being refused. Check ZOHO_DC and ZOHO_ORG_ID, and that nothing else revokes this client's tokens.`,
      );
    }
    this.#refreshTimes.push(now);
    const url = `${this.#options.accountsUrl}/oauth/v2/token`;
    const { status, ok, body } = await this.#post(url, creds);
    const error = typeof body.error === 'string' ? body.error : undefined;
    const token = typeof body.access_token === 'string' ? body.access_token : undefined;
    if (isThrottle(status, body)) {
      this.#throttledUntil = this.#now() + THROTTLE_QUIET_MS;
      this.#throttleError = new TokenRefreshError(
        `Token refresh at ${url} was refused: Zoho Accounts is throttling this client for too many token requests (HTTP ${status} "${error ?? ''}"). Wait 15–30 minutes before running again: every request meanwhile extends the block.`,
        { zohoError: error, status, reason: 'throttled' },
      );
      throw this.#throttleError;
    }
    // Zoho answers a bad refresh token with HTTP 200 and {"error": "..."}: read the body.
    if (error !== undefined || token === undefined || !ok) {
      const said = error ?? (ok ? 'no access_token in the answer' : `HTTP ${status}`);
      throw new TokenRefreshError(`Token refresh at ${url} failed (${said}): ${explain(error ?? '')}.`, { zohoError: error, status });
    }
    this.#checkDataCentre(body.api_domain);
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    this.#token = token;
    // Renew a minute early so a token never expires in the middle of a batch.
    this.#expiresAt = this.#now() + Math.max(expiresIn - 60, expiresIn / 2) * 1000;
    this.#options.onRefresh?.({ expiresInSeconds: expiresIn });
    return token;
  }

  async #post(url: string, creds: Extract<Credentials, { kind: 'refresh' }>): Promise<{ status: number; ok: boolean; body: Record<string, unknown> }> {
    const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: creds.clientId, client_secret: creds.clientSecret, refresh_token: creds.refreshToken });
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? defaultTimeoutMs),
      });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new TokenRefreshError(`Could not reach Zoho Accounts at ${url} (${why}): check ZOHO_DC or ZOHO_ACCOUNTS_URL and the network.`, { cause: error });
    }
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      const parsed = parseJsonKeepingIds(text);
      if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
    } catch {
      // not JSON: handled as a refusal
    }
    return { status: response.status, ok: response.ok, body };
  }

  /** The token answer's `api_domain` names the data centre that issued it; it must be the configured one. */
  #checkDataCentre(apiDomain: unknown): void {
    const expected = this.#options.dataCentre;
    if (!expected || typeof apiDomain !== 'string') return;
    const issued = dataCentreOfApiDomain(apiDomain);
    if (issued === undefined || issued === expected.name) return;
    throw new ConfigError(
      expected.variable,
      `is "${expected.name}", but Zoho Accounts issued this token for data centre "${issued}" (api_domain ${apiDomain}): set ${expected.variable}=${issued}. Nothing was sent to Desk.`,
    );
  }
}
