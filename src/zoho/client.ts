import ky, { TimeoutError } from 'ky';
import { EndpointNotAllowedError } from '../errors/EndpointNotAllowedError.js';
import { ZohoApiError } from '../errors/ZohoApiError.js';
import { TokenSource, type FetchLike } from './auth.js';
import { authHint, classify, refusesToken } from './classify.js';
import { CreditMeter } from './credits.js';
import { defaultTimeoutMs, type ZohoConfig } from './config.js';
import { buildPath, creditWeight, endpoints, matchEndpoint, needsOrgId, type EndpointIO, type EndpointName } from './endpoints.js';
import { assertZohoId } from './ids.js';
import { parseJsonKeepingIds } from './json.js';
import type { ZohoErrorBody } from './types.js';

export interface CallEvent {
  method: string;
  path: string;
  status: number | undefined;
  errorCode: string | undefined;
  ms: number;
  /** The IDs sent (in the body, or `labelIds` in the query), for --verbose. */
  ids: string[];
  /** The org's remaining API credits, when the answer said. */
  remaining: number | undefined;
}

export interface ZohoClientOptions {
  config: Pick<ZohoConfig, 'deskUrl' | 'accountsUrl' | 'orgId' | 'credentials'> & Partial<Pick<ZohoConfig, 'dataCentre' | 'dataCentreVariable'>>;
  /** Counts calls and credits, and refuses calls beyond the run's limits; one is made when absent. */
  meter?: CreditMeter;
  /** Injectable for tests and proxies; defaults to the global fetch. */
  fetch?: FetchLike;
  /** Per-call timeout in milliseconds (default: defaultTimeoutMs, 30 000). */
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

/** An answer as read off the wire: the body parsed (IDs kept as strings), and the error body for a non-2xx. */
interface Answer {
  status: number;
  headers: Headers;
  data: unknown;
  body: ZohoErrorBody | undefined;
}

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
  readonly meter: CreditMeter;
  readonly #config: ZohoClientOptions['config'];
  readonly #fetch: FetchLike | undefined;
  readonly #timeoutMs: number;
  readonly #onCall: ((event: CallEvent) => void) | undefined;

  constructor(options: ZohoClientOptions) {
    this.#config = options.config;
    this.#fetch = options.fetch;
    this.#timeoutMs = validateTimeout(options.timeoutMs ?? defaultTimeoutMs);
    this.#onCall = options.onCall;
    this.meter = options.meter ?? new CreditMeter();
    this.tokens =
      options.tokens ??
      new TokenSource({
        accountsUrl: options.config.accountsUrl,
        credentials: options.config.credentials,
        timeoutMs: this.#timeoutMs,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.onTokenRefresh ? { onRefresh: options.onTokenRefresh } : {}),
        ...(options.config.dataCentre ? { dataCentre: { name: options.config.dataCentre, variable: options.config.dataCentreVariable ?? 'ZOHO_DC' } } : {}),
      });
  }

  /** Makes one call of the endpoint table, with typed arguments and answer. */
  async call<K extends EndpointName>(name: K, args: CallArgs<K>): Promise<EndpointIO[K]['answer']> {
    const a = args as { path?: Record<string, string>; query?: Query; body?: Record<string, unknown> };
    for (const [key, value] of Object.entries(a.path ?? {})) assertZohoId(key, value);
    if (a.query?.helpCenterId !== undefined) assertZohoId('helpCenterId', a.query.helpCenterId);
    if (a.query?.labelIds !== undefined) String(a.query.labelIds).split(',').forEach((id, i) => assertZohoId(`labelIds[${i}]`, id));
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
   * endpoint cannot be called through it), and a call the run's credit limits
   * do not allow (--max-calls, --reserve-credits).
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
    const { response, fresh } = await this.#sendWithToken(method, path, withOrg, creditWeight(match.name, options.query), options);
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
      hint: kind === 'auth' ? authHint(response.body?.errorCode, this.#config.orgId, response.status, fresh) : undefined,
    });
  }

  /**
   * Sends with the current token. A 401 for a token that another caller has
   * already replaced is sent again with the current one; a 401 for the current
   * token, once any call was accepted with it, means it expired: one shared
   * refresh, then again. A token no call was ever accepted with is not
   * refreshed again (`fresh`: the refusal is about the data centre or scopes).
   */
  async #sendWithToken(
    method: string,
    path: string,
    withOrg: boolean,
    weight: number,
    options: { query?: Query | undefined; body?: unknown },
  ): Promise<{ response: Answer; fresh: boolean }> {
    let token = await this.tokens.get();
    for (let tries = 1; ; tries += 1) {
      const settle = await this.meter.admit(weight);
      this.tokens.begin(token);
      let response: Answer;
      try {
        response = await this.#send(method, path, token, withOrg, options);
      } catch (error) {
        this.tokens.end(token, undefined);
        settle(undefined);
        throw error;
      }
      settle(response);
      const refused = refusesToken(response.status, response.body);
      this.tokens.end(token, !refused && response.status !== 403);
      if (!refused || tries >= 5) return { response, fresh: false };
      const next = await this.tokens.replace(token);
      if (next === undefined) return { response, fresh: true };
      token = next;
    }
  }

  async #send(
    method: string,
    path: string,
    token: string,
    withOrg: boolean,
    options: { query?: Query | undefined; body?: unknown },
  ): Promise<Answer> {
    const url = new URL(`${this.#config.deskUrl}${path}`);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { authorization: `Zoho-oauthtoken ${token}`, accept: 'application/json' };
    if (withOrg && this.#config.orgId !== undefined) headers.orgId = this.#config.orgId;
    const inQuery = options.query?.labelIds === undefined ? [] : String(options.query.labelIds).split(',');
    const ids = [...inQuery, ...Object.values((options.body ?? {}) as Record<string, unknown>).flatMap((v) => (Array.isArray(v) ? v.map(String) : []))];
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
      this.#onCall?.({ method, path, status: undefined, errorCode: timedOut ? 'TIMEOUT' : 'NETWORK', ms: performance.now() - started, ids, remaining: undefined });
      const why = timedOut ? `no answer within ${this.#timeoutMs} ms` : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new ZohoApiError({
        method,
        path,
        status: undefined,
        errorCode: timedOut ? 'TIMEOUT' : 'NETWORK',
        detail: why,
        kind: 'retryable',
        cause: error,
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
    const remaining = Number(response.headers.get('x-rate-limit-remaining-v3') ?? NaN);
    this.#onCall?.({ method, path, status: response.status, errorCode: body?.errorCode, ms: performance.now() - started, ids, remaining: Number.isFinite(remaining) ? remaining : undefined });
    return { status: response.status, headers: response.headers, data, body };
  }
}
