import ky, { TimeoutError } from 'ky';
import { EndpointNotAllowedError } from '../errors/EndpointNotAllowedError.js';
import { ZohoApiError } from '../errors/ZohoApiError.js';
import { TokenSource, type FetchLike } from './auth.js';
import { authHint, classify } from './classify.js';
import type { ZohoConfig } from './config.js';
import { buildPath, endpoints, matchEndpoint, needsOrgId, type EndpointIO, type EndpointName } from './endpoints.js';
import { assertZohoId } from './ids.js';
import { parseJsonKeepingIds } from './json.js';
import type { ZohoErrorBody } from './types.js';

export interface CallEvent {
  method: string;
  path: string;
  status: number | undefined;
  errorCode: string | undefined;
  ms: number;
  /** The IDs sent in the body, for --verbose. */
  ids: string[];
}

export interface ZohoClientOptions {
  config: Pick<ZohoConfig, 'deskUrl' | 'accountsUrl' | 'orgId' | 'credentials'>;
  /** Injectable for tests and proxies; defaults to the global fetch. */
  fetch?: FetchLike;
  /** Per-call timeout in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Shared token source; one is made from the credentials when absent. */
  tokens?: TokenSource;
  onCall?: (event: CallEvent) => void;
  onTokenRefresh?: () => void;
}

export type CallArgs<K extends EndpointName> = {
  [P in 'path' | 'body' as EndpointIO[K][P] extends undefined ? never : P]: EndpointIO[K][P];
} & (EndpointIO[K]['query'] extends undefined ? unknown : { query?: EndpointIO[K]['query'] });

type Query = Record<string, string | number | undefined>;

function validateTimeout(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`Expected \`timeoutMs\` to be a number > 0, got \`${String(value)}\` (${typeof value})`);
  }
  return value;
}

/** Turns any numeric `id` / `…Id` value into a string, so IDs stay strings whatever Zoho sends. */
function stringifyIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stringifyIds);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = typeof v === 'number' && (k === 'id' || k.endsWith('Id')) ? String(v) : stringifyIds(v);
    }
    return out;
  }
  return value;
}

/**
 * The Zoho Desk API client. Only the calls in the endpoint table can be made;
 * every ID is checked to be digits before it goes into a path or body.
 */
export class ZohoClient {
  readonly tokens: TokenSource;
  readonly #config: ZohoClientOptions['config'];
  readonly #fetch: FetchLike | undefined;
  readonly #timeoutMs: number;
  readonly #onCall: ((event: CallEvent) => void) | undefined;

  constructor(options: ZohoClientOptions) {
    this.#config = options.config;
    this.#fetch = options.fetch;
    this.#timeoutMs = validateTimeout(options.timeoutMs ?? 30_000);
    this.#onCall = options.onCall;
    this.tokens =
      options.tokens ??
      new TokenSource({
        accountsUrl: options.config.accountsUrl,
        credentials: options.config.credentials,
        timeoutMs: this.#timeoutMs,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.onTokenRefresh ? { onRefresh: options.onTokenRefresh } : {}),
      });
  }

  /** Makes one call of the endpoint table, with typed arguments and answer. */
  async call<K extends EndpointName>(name: K, args: CallArgs<K>): Promise<EndpointIO[K]['answer']> {
    const a = args as { path?: Record<string, string>; query?: Query; body?: Record<string, unknown> };
    for (const [key, value] of Object.entries(a.path ?? {})) assertZohoId(key, value);
    if (a.query?.helpCenterId !== undefined) assertZohoId('helpCenterId', a.query.helpCenterId);
    for (const [key, value] of Object.entries(a.body ?? {})) {
      if (!Array.isArray(value) || value.length === 0) {
        throw new TypeError(`Expected \`${key}\` to be a non-empty array of IDs, got ${JSON.stringify(value)}`);
      }
      value.forEach((id, i) => assertZohoId(`${key}[${i}]`, id));
    }
    const path = buildPath(name, a.path);
    const answer = await this.request(endpoints[name].method, path, { query: a.query, body: a.body });
    if (answer === undefined && name.startsWith('list')) return { data: [] } as EndpointIO[K]['answer'];
    return answer as EndpointIO[K]['answer'];
  }

  /**
   * The one way out to the network. Refuses, before any I/O, a method and path
   * that are not in the endpoint table (so DELETE /labels/{id} and every badge
   * endpoint cannot be called through it).
   */
  async request(
    method: string,
    path: string,
    options: { query?: Query | undefined; body?: unknown } = {},
  ): Promise<unknown> {
    const match = matchEndpoint(method, path);
    if (!match) throw new EndpointNotAllowedError(method.toUpperCase(), path);
    const withOrg = needsOrgId(match.name);
    if (withOrg && this.#config.orgId === undefined) {
      throw new TypeError(`${method} ${path} needs an organization id: set ZOHO_ORG_ID`);
    }
    let token = await this.tokens.get();
    let response = await this.#send(method, path, token, withOrg, options);
    if (response.status === 401 && response.body?.errorCode !== 'SCOPE_MISMATCH' && response.body?.errorCode !== 'OAUTH_ORG_MISMATCH') {
      // An expired or revoked access token: refresh once (shared with every other caller) and retry this call.
      token = await this.tokens.renew(token);
      response = await this.#send(method, path, token, withOrg, options);
    }
    if (response.status >= 200 && response.status < 300) return response.data;
    const kind = classify(response.status, response.body);
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ZohoApiError({
      method: method.toUpperCase(),
      path,
      status: response.status,
      errorCode: response.body?.errorCode,
      detail: response.body?.message ?? '',
      kind,
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      fieldErrors: response.body?.errors,
      hint: kind === 'auth' ? authHint(response.body?.errorCode, this.#config.orgId, response.status) : undefined,
    });
  }

  async #send(
    method: string,
    path: string,
    token: string,
    withOrg: boolean,
    options: { query?: Query | undefined; body?: unknown },
  ): Promise<{ status: number; headers: Headers; data: unknown; body: ZohoErrorBody | undefined }> {
    const url = new URL(`${this.#config.deskUrl}${path}`);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { authorization: `Zoho-oauthtoken ${token}`, accept: 'application/json' };
    if (withOrg && this.#config.orgId !== undefined) headers.orgId = this.#config.orgId;
    const ids = Object.values((options.body ?? {}) as Record<string, unknown>).flatMap((v) => (Array.isArray(v) ? v.map(String) : []));
    const started = performance.now();
    let response: Response;
    try {
      response = await ky(url, {
        method,
        headers,
        ...(options.body === undefined ? {} : { json: options.body }),
        timeout: this.#timeoutMs,
        retry: 0,
        throwHttpErrors: false,
        ...(this.#fetch ? { fetch: this.#fetch } : {}),
      });
    } catch (error) {
      const timedOut = error instanceof TimeoutError;
      this.#onCall?.({ method, path, status: undefined, errorCode: timedOut ? 'TIMEOUT' : 'NETWORK', ms: performance.now() - started, ids });
      const why = timedOut ? `no answer within ${this.#timeoutMs} ms` : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new ZohoApiError({
        method,
        path,
        status: undefined,
        errorCode: timedOut ? 'TIMEOUT' : 'NETWORK',
        detail: why,
        kind: 'retryable',
      });
    }
    const text = await response.text().catch(() => '');
    let data: unknown;
    if (text.trim() !== '') {
      try {
        data = stringifyIds(parseJsonKeepingIds(text));
      } catch {
        data = undefined;
      }
    }
    const body = response.ok ? undefined : ((data ?? {}) as ZohoErrorBody);
    this.#onCall?.({ method, path, status: response.status, errorCode: body?.errorCode, ms: performance.now() - started, ids });
    return { status: response.status, headers: response.headers, data, body };
  }
}
