// The HTTP side of the emulator: reads a call, logs it, and applies what sits
// between a client and Zoho's handlers (concurrency, latency, auth, credits,
// faults) before the route table answers.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { error, urlNotFound, type Answer } from './answers.js';
import { Auth, type Credentials, type TokenRequest } from './auth.js';
import { charge, creditHeaders, creditsLeft, creditWeight } from './credits.js';
import { knobsFrom, type EmulatorKnobs, type EmulatorOptions } from './knobs.js';
import { prng } from './prng.js';
import { dispatch, idsOf, resolveRoute, type RouteName } from './routes/index.js';
import type { RouteContext } from './routes/context.js';
import { assertSeed, defaultSeed } from './seed.js';
import { EmulatorState } from './state.js';
import type { EnvVariable } from '../zoho/config.js';

export interface CallRecord {
  seq: number;
  method: string;
  path: string;
  query: Record<string, string>;
  endpoint: RouteName | 'unknown';
  orgId: string | undefined;
  body: unknown;
  /** IDs the call carried (userIds or labelIds, from the body or, per `labelIdsIn`, the query), as sent. */
  ids: string[];
  status: number | 'dropped';
  errorCode: string | undefined;
  /** The JSON body answered, if any. */
  answer: unknown;
  /** performance.now() at arrival and at answer. */
  startedAt: number;
  endedAt: number;
}

export interface RunningEmulator {
  url: string;
  state: EmulatorState;
  knobs: EmulatorKnobs;
  calls: CallRecord[];
  /** Every token request, answered or refused. */
  tokenRequests: TokenRequest[];
  /** The day's credits: `used` is settable (the same number as `knobs.creditsUsed`). */
  credits: { used: number; readonly remaining: number };
  credentials: Credentials;
  /** The environment that points zdlabels at this emulator. */
  env: Record<string, string>;
  /** Makes every access token issued so far invalid, as if they had expired. */
  expireTokens(): void;
  close(): Promise<void>;
}

const UNPARSEABLE = Symbol('unparseable');

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return UNPARSEABLE;
  }
}

function send(res: ServerResponse, a: Answer): void {
  const headers: Record<string, string> = { ...(a.headers ?? {}) };
  if (a.body !== undefined) headers['content-type'] = 'application/json;charset=UTF-8';
  else if (a.html !== undefined) headers['content-type'] = 'text/html;charset=UTF-8';
  res.writeHead(a.status, headers);
  res.end(a.body === undefined ? a.html : JSON.stringify(a.body));
}

/** Introspection for an emulator in another process (bench, demos); not part of Zoho's API. */
/** The introspection answer; `withCalls` false leaves out the call list (cheap to poll during a long run). */
function logAnswer(state: EmulatorState, knobs: EmulatorKnobs, calls: CallRecord[], auth: Auth, withCalls: boolean): Answer {
  const refused429: Record<string, number> = {};
  for (const c of calls) if (c.status === 429) refused429[c.errorCode ?? '?'] = (refused429[c.errorCode ?? '?'] ?? 0) + 1;
  return {
    status: 200,
    body: {
      pairs: state.pairCount(),
      tokenRequests: auth.requests.length,
      creditsUsed: knobs.creditsUsed,
      creditsRemaining: Number.isFinite(knobs.dailyCredits) ? creditsLeft(knobs) : null,
      refused429,
      callCount: calls.length,
      calls: withCalls ? calls.map((c) => ({ seq: c.seq, endpoint: c.endpoint, status: c.status, errorCode: c.errorCode, ids: c.ids.length, startedAt: c.startedAt, endedAt: c.endedAt })) : [],
    },
  };
}

/** One running emulator's insides, shared by the functions that serve it. */
interface Insides {
  state: EmulatorState;
  knobs: EmulatorKnobs;
  auth: Auth;
  calls: CallRecord[];
  random: () => number;
  inflight: number;
}

/** Everything a call goes through before its route answers; the first refusal wins. */
async function serve(em: Insides, req: IncomingMessage, record: CallRecord, ctx: RouteContext, body: unknown): Promise<Answer | 'dropped'> {
  const knobs = em.knobs;
  if (em.inflight > knobs.concurrencyLimit) {
    await sleep(1);
    return error(429, 'TOO_MANY_REQUESTS', 'You have made too many requests at the same time; try again later.');
  }
  if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);
  const endpoint = record.endpoint;
  if (endpoint === 'unknown') return urlNotFound();
  const refused = em.auth.authorize(req.headers, endpoint) ?? charge(knobs, creditWeight(endpoint, ctx.query));
  if (refused) return refused;
  const injected = knobs.inject.find((i) => (i.endpoint === undefined || i.endpoint === endpoint) && (i.times ?? 1) > 0);
  if (injected) {
    if (injected.times !== undefined) injected.times -= 1;
    const extra = injected.errors ? { errors: injected.errors } : {};
    return { ...error(injected.status, injected.errorCode, injected.message ?? `Injected ${injected.errorCode}`, extra), ...(injected.headers ? { headers: injected.headers } : {}) };
  }
  if (body === UNPARSEABLE) return error(400, 'BAD_REQUEST', 'The body is not valid JSON.');
  if (knobs.errorRate > 0 && em.random() < knobs.errorRate) return error(500, 'INTERNAL_SERVER_ERROR', 'Internal Server Error');
  const answer = dispatch(endpoint, ctx);
  // A dropped connection after the change is applied: the worst case for a client.
  return knobs.dropRate > 0 && em.random() < knobs.dropRate ? 'dropped' : answer;
}

/** A call of Zoho's API: logged, served, answered with the credit headers. */
async function handleApi(em: Insides, req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
  const raw = await readBody(req);
  const route = resolveRoute(method, url.pathname);
  const body = parseJson(raw);
  const ctx: RouteContext = { state: em.state, knobs: em.knobs, params: route?.params ?? {}, query: url.searchParams, body: body === UNPARSEABLE ? undefined : body };
  const record: CallRecord = {
    seq: em.calls.length + 1,
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    endpoint: route?.name ?? 'unknown',
    orgId: typeof req.headers.orgid === 'string' ? req.headers.orgid : undefined,
    body: body === UNPARSEABLE ? raw : body,
    ids: route ? idsOf(route.name, ctx) : [],
    status: 0,
    errorCode: undefined,
    answer: undefined,
    startedAt: performance.now(),
    endedAt: 0,
  };
  em.calls.push(record);
  const a = await serve(em, req, record, ctx, body);
  record.endedAt = performance.now();
  if (a === 'dropped') {
    record.status = 'dropped';
    res.socket?.destroy();
    return;
  }
  record.status = a.status;
  record.errorCode = (a.body as { errorCode?: string } | undefined)?.errorCode;
  record.answer = a.body;
  send(res, { ...a, headers: { ...(a.headers ?? {}), ...creditHeaders(em.knobs, creditWeight(record.endpoint, url.searchParams)) } });
}

async function handle(em: Insides, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'POST' && url.pathname === '/oauth/v2/token') return send(res, em.auth.token(new URLSearchParams(await readBody(req)), url.searchParams));
  if (method === 'GET' && url.pathname === '/__emulator/log') return send(res, logAnswer(em.state, em.knobs, em.calls, em.auth, url.searchParams.get('calls') !== '0'));
  // In flight from arrival to answer, as Zoho counts an org's concurrent calls.
  em.inflight += 1;
  try {
    await handleApi(em, req, res, url, method);
  } finally {
    em.inflight -= 1;
  }
}

/** The face a running emulator shows to tests and to `zdlabels emulator`. */
function running(em: Insides, server: Server, credentials: Credentials): RunningEmulator {
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  const knobs = em.knobs;
  return {
    url,
    state: em.state,
    knobs,
    calls: em.calls,
    tokenRequests: em.auth.requests,
    credits: {
      get used() {
        return knobs.creditsUsed;
      },
      set used(n: number) {
        knobs.creditsUsed = n;
      },
      get remaining() {
        return creditsLeft(knobs);
      },
    },
    credentials,
    env: {
      ZOHO_DESK_URL: url,
      ZOHO_ACCOUNTS_URL: url,
      ZOHO_ORG_ID: em.state.organizations[0]!.id,
      ZOHO_CLIENT_ID: credentials.clientId,
      ZOHO_CLIENT_SECRET: credentials.clientSecret,
      ZOHO_REFRESH_TOKEN: credentials.refreshToken,
    } satisfies Partial<Record<EnvVariable, string>>,
    expireTokens: () => em.auth.expireTokens(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Starts the built-in Zoho Desk stand-in on loopback. It serves the endpoint
 * table and the token endpoint, checks what Zoho checks, and keeps a log of
 * every call so tests can assert what was sent.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const seed = options.seed ?? defaultSeed();
  assertSeed(seed, 'seed');
  const state = new EmulatorState(seed);
  const knobs = knobsFrom(options);
  const credentials = options.credentials ?? {
    clientId: '1000.EMULATORCLIENT',
    clientSecret: `emulator-secret-${randomBytes(6).toString('hex')}`,
    refreshToken: `emulator-refresh-${randomBytes(6).toString('hex')}`,
  };
  const auth = new Auth(knobs, credentials, state.organizations.map((o) => o.id));
  const em: Insides = { state, knobs, auth, calls: [], random: prng(knobs.faultSeed), inflight: 0 };
  const server = createServer((req, res) => {
    handle(em, req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, error(500, 'INTERNAL_SERVER_ERROR', String(e)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  return running(em, server, credentials);
}
