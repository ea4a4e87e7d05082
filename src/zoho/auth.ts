import { TokenRefreshError } from '../errors/TokenRefreshError.js';
import type { Credentials } from './config.js';
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
  now?: () => number;
}

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
    case 'access_denied':
      return 'too many token requests for this refresh token (Zoho allows 10 per 10 minutes): wait and run again';
    default:
      return 'check ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN and ZOHO_DC';
  }
}

/**
 * Hands out the access token. One refresh is shared by every concurrent
 * caller (single-flight), and a refresh only happens when the token in use is
 * the one that was refused, so N workers hitting an expired token cost one refresh.
 */
export class TokenSource {
  readonly #options: TokenSourceOptions;
  readonly #fetch: FetchLike;
  readonly #now: () => number;
  #token: string | undefined;
  #expiresAt = 0;
  #inflight: Promise<string> | undefined;
  #refreshTimes: number[] = [];
  refreshCount = 0;

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

  /**
   * Called when `rejected` was answered 401 INVALID_OAUTH. If another caller
   * already replaced it, the newer token is returned without a new refresh.
   */
  async renew(rejected: string): Promise<string> {
    if (this.#token !== undefined && this.#token !== rejected) return this.#token;
    if (!this.canRefresh) {
      throw new TokenRefreshError(
        'ZOHO_ACCESS_TOKEN was refused (expired or revoked) and cannot be refreshed: set ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN instead, or a fresh ZOHO_ACCESS_TOKEN.',
      );
    }
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
    this.#refreshTimes = this.#refreshTimes.filter((t) => now - t < 600_000);
    const max = this.#options.maxRefreshesPer10Min ?? 10;
    if (this.#refreshTimes.length >= max) {
      throw new TokenRefreshError(
        `Refused to refresh the access token a ${max + 1}th time in 10 minutes (Zoho allows ${max}): access tokens keep being refused. Check ZOHO_DC and ZOHO_ORG_ID, and that nothing else revokes this client's tokens.`,
      );
    }
    this.#refreshTimes.push(now);
    const url = `${this.#options.accountsUrl}/oauth/v2/token`;
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: creds.clientId,
      client_secret: creds.clientSecret,
      refresh_token: creds.refreshToken,
    });
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new TokenRefreshError(`Could not reach Zoho Accounts at ${url} (${why}): check ZOHO_DC or ZOHO_ACCOUNTS_URL and the network.`);
    }
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      const parsed = parseJsonKeepingIds(text);
      if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
    } catch {
      // not JSON: handled below as a refusal
    }
    // Zoho answers a bad refresh token with HTTP 200 and {"error": "..."}: read the body.
    const error = typeof body.error === 'string' ? body.error : undefined;
    const token = typeof body.access_token === 'string' ? body.access_token : undefined;
    if (error !== undefined || token === undefined || !response.ok) {
      const said = error ?? (response.ok ? 'no access_token in the answer' : `HTTP ${response.status}`);
      throw new TokenRefreshError(`Token refresh at ${url} failed (${said}): ${explain(error ?? '')}.`, {
        zohoError: error,
        status: response.status,
      });
    }
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    this.#token = token;
    // Renew a minute early so a token never expires in the middle of a batch.
    this.#expiresAt = this.#now() + Math.max(expiresIn - 60, expiresIn / 2) * 1000;
    this.refreshCount += 1;
    this.#options.onRefresh?.({ expiresInSeconds: expiresIn });
    return token;
  }
}
