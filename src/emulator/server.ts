import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { matchEndpoint, type EndpointName } from '../zoho/endpoints.js';
import { defaultKnobs, type EmulatorKnobs, type EmulatorOptions } from './options.js';
import { prng } from './prng.js';
import * as render from './render.js';
import { defaultSeed } from './seed.js';
import { EmulatorState } from './state.js';

export interface CallRecord {
  seq: number;
  method: string;
  path: string;
  query: Record<string, string>;
  endpoint: EndpointName | 'deleteLabel' | 'unknown';
  orgId: string | undefined;
  body: unknown;
  /** IDs in the body (userIds or labelIds), as sent. */
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
  tokenRequests: { at: number; ok: boolean }[];
  credentials: { clientId: string; clientSecret: string; refreshToken: string };
  /** The environment that points zdlabels at this emulator. */
  env: Record<string, string>;
  /** Makes every access token issued so far invalid, as if they had expired. */
  expireTokens(): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const error = (status: number, errorCode: string, message: string, extra: Record<string, unknown> = {}): Answer => ({
  status,
  body: { errorCode, message, ...extra },
});
const invalid = (fieldName: string, errorType: 'invalid' | 'missing' | 'duplicate', errorMessage: string): Answer =>
  error(422, 'INVALID_DATA', 'The data does not comply to the validation restrictions defined.', {
    errors: [{ fieldName, errorType, errorMessage }],
  });
const urlNotFound = (): Answer => error(404, 'URL_NOT_FOUND', 'The URL you requested could not be found');

const scopesNeeded: Record<EndpointName | 'deleteLabel', string[]> = {
  removeUsersFromLabel: ['Desk.contacts.UPDATE', 'Desk.settings.UPDATE'],
  removeLabelsFromUser: ['Desk.contacts.UPDATE', 'Desk.settings.UPDATE'],
  addUsersToLabel: ['Desk.contacts.UPDATE', 'Desk.settings.UPDATE'],
  listLabelUsers: ['Desk.contacts.READ', 'Desk.settings.READ', 'Desk.search.READ'],
  listUserLabels: ['Desk.contacts.READ', 'Desk.settings.READ'],
  getLabel: ['Desk.contacts.READ', 'Desk.settings.READ'],
  listLabels: ['Desk.contacts.READ', 'Desk.settings.READ'],
  getUser: ['Desk.contacts.READ', 'Desk.settings.READ', 'Desk.basic.READ'],
  listHelpCenters: ['Desk.settings.READ'],
  listOrganizations: ['Desk.basic.READ'],
  deleteLabel: ['Desk.settings.DELETE'],
};

const isId = (v: unknown): boolean => (typeof v === 'string' && /^\d+$/.test(v)) || (typeof v === 'number' && Number.isInteger(v) && v >= 0);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Reads `from`/`limit` as Zoho checks them: 1 ≤ limit ≤ 50, from ≥ 1. */
function page(query: URLSearchParams): { from: number; limit: number } | Answer {
  const from = query.get('from') ?? '1';
  const limit = query.get('limit') ?? '50';
  if (!/^\d+$/.test(from) || Number(from) < 1) return invalid('/from', 'invalid', 'from must be an integer ≥ 1');
  if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > 50) {
    return invalid('/limit', 'invalid', 'limit must be an integer from 1 to 50');
  }
  return { from: Number(from), limit: Number(limit) };
}

/** Reads a write body `{key: [ids]}`, answering 422 as Zoho would for any other shape. */
function idList(body: unknown, key: string): string[] | Answer {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return invalid(`/${key}`, 'missing', 'a JSON object body is required');
  const extra = Object.keys(body).filter((k) => k !== key);
  if (extra.length > 0) return invalid(`/${extra[0]}`, 'invalid', 'unexpected field');
  const list = (body as Record<string, unknown>)[key];
  if (!Array.isArray(list) || list.length === 0) return invalid(`/${key}`, 'missing', `${key} must be a non-empty array`);
  const bad = list.findIndex((v) => !isId(v));
  if (bad >= 0) return invalid(`/${key}/${bad}`, 'invalid', 'not an ID');
  return list.map(String);
}

function listAnswer(items: unknown[], p: { from: number; limit: number }, knobs: EmulatorKnobs): Answer {
  const slice = items.slice(p.from - 1, p.from - 1 + p.limit);
  if (slice.length === 0 && knobs.emptyPage === '204') return { status: 204 };
  return { status: 200, body: { data: slice } };
}

/**
 * Starts the built-in Zoho Desk stand-in on loopback. It serves the endpoint
 * table and the token endpoint, checks what Zoho checks, and keeps a log of
 * every call so tests can assert what was sent.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = new EmulatorState(options.seed ?? defaultSeed());
  const knobs: EmulatorKnobs = { ...defaultKnobs };
  for (const key of Object.keys(defaultKnobs) as (keyof EmulatorKnobs)[]) {
    if (options[key] !== undefined) (knobs as unknown as Record<string, unknown>)[key] = options[key];
  }
  const credentials = options.credentials ?? {
    clientId: '1000.EMULATORCLIENT',
    clientSecret: `emulator-secret-${randomBytes(6).toString('hex')}`,
    refreshToken: `emulator-refresh-${randomBytes(6).toString('hex')}`,
  };
  const tokens = new Map<string, { expiresAt: number; callsLeft: number }>();
  const calls: CallRecord[] = [];
  const tokenRequests: { at: number; ok: boolean }[] = [];
  const random = prng(knobs.faultSeed);
  let inflight = 0;
  let creditsUsed = 0;
  const orgIds = new Set(state.organizations.map((o) => o.id));

  function token(req: IncomingMessage, body: string): Answer {
    const form = new URLSearchParams(body);
    const url = new URL(req.url ?? '/', 'http://x');
    const get = (k: string) => form.get(k) ?? url.searchParams.get(k);
    const refuse = (e: string): Answer => {
      tokenRequests.push({ at: Date.now(), ok: false });
      return { status: 200, body: { error: e } };
    };
    if (get('grant_type') !== 'refresh_token') return refuse('unsupported_grant_type');
    if (get('client_id') !== credentials.clientId) return refuse('invalid_client');
    if (get('client_secret') !== credentials.clientSecret) return refuse('invalid_client_secret');
    if (get('refresh_token') !== credentials.refreshToken) return refuse('invalid_code');
    const access = `emu-access-${randomBytes(12).toString('hex')}`;
    tokens.set(access, { expiresAt: Date.now() + knobs.tokenLifetimeSeconds * 1000, callsLeft: knobs.tokenLifetimeCalls });
    tokenRequests.push({ at: Date.now(), ok: true });
    return {
      status: 200,
      body: { access_token: access, expires_in: knobs.tokenLifetimeSeconds, api_domain: 'https://www.zohoapis.com', token_type: 'Bearer' },
    };
  }

  function authorize(req: IncomingMessage, endpoint: EndpointName | 'deleteLabel'): Answer | undefined {
    const header = req.headers.authorization ?? '';
    const m = /^Zoho-oauthtoken (\S+)$/.exec(header);
    if (!m) return error(401, 'UNAUTHORIZED', 'You are not authenticated to perform this operation. (Zoho-oauthtoken header missing)');
    const t = tokens.get(m[1]!);
    if (!t || t.expiresAt <= Date.now() || t.callsLeft <= 0) return error(401, 'INVALID_OAUTH', 'The OAuth Token you provided is invalid.');
    t.callsLeft -= 1;
    if (!scopesNeeded[endpoint].every((s) => knobs.scopes.includes(s))) {
      return error(401, 'SCOPE_MISMATCH', 'The OAuth token does not have the scope needed for this operation.');
    }
    if (endpoint === 'listOrganizations') return undefined;
    const orgId = req.headers.orgid;
    if (typeof orgId !== 'string' || orgId === '') return invalid('/orgId', 'missing', 'the orgId header is required');
    if (!/^\d+$/.test(orgId)) return invalid('/orgId', 'invalid', 'orgId must be digits');
    if (!orgIds.has(orgId)) return error(401, 'OAUTH_ORG_MISMATCH', 'The OAuth token does not belong to the given organization.');
    return undefined;
  }

  function route(endpoint: EndpointName | 'deleteLabel', params: Record<string, string>, query: URLSearchParams, body: unknown): Answer {
    for (const [name, value] of Object.entries(params)) if (!isId(value)) return invalid(`/${name}`, 'invalid', 'not an ID');
    const hcFilter = query.get('helpCenterId') ?? undefined;
    if (hcFilter !== undefined && !isId(hcFilter)) return invalid('/helpCenterId', 'invalid', 'not an ID');
    const label = params.labelId === undefined ? undefined : state.labels.get(params.labelId);
    const user = params.userId === undefined ? undefined : state.users.get(params.userId);
    switch (endpoint) {
      case 'removeUsersFromLabel':
      case 'addUsersToLabel': {
        const ids = idList(body, 'userIds');
        if (!Array.isArray(ids)) return ids;
        if (ids.length > knobs.maxIdsPerCall) {
          return error(422, 'RESOURCE_SIZE_EXCEEDED', `The number of userIds exceeds the maximum of ${knobs.maxIdsPerCall}.`);
        }
        if (!label) return urlNotFound();
        const unknown = ids.findIndex((u) => !state.users.has(u));
        // Zoho refuses the whole batch when any ID is bad: nothing is applied.
        if (unknown >= 0) return invalid(`/userIds/${unknown}`, 'invalid', `user ${ids[unknown]} does not exist`);
        for (const u of ids) {
          if (endpoint === 'addUsersToLabel') state.add(label.id, u);
          else if (!knobs.silentlyKeep.includes(`${u}:${label.id}`)) state.remove(label.id, u);
        }
        return { status: 204 };
      }
      case 'removeLabelsFromUser': {
        const ids = idList(body, 'labelIds');
        if (!Array.isArray(ids)) return ids;
        if (ids.length > knobs.maxIdsPerCall) {
          return error(422, 'RESOURCE_SIZE_EXCEEDED', `The number of labelIds exceeds the maximum of ${knobs.maxIdsPerCall}.`);
        }
        if (!user) return urlNotFound();
        const results = ids.map((labelId) => {
          const l = state.labels.get(labelId);
          if (!l || (hcFilter !== undefined && l.helpCenterId !== hcFilter)) {
            return { success: false, id: labelId, errors: { errorCode: 'INVALID_DATA', httpCode: 422, error: 'Label not found' } };
          }
          if (!knobs.silentlyKeep.includes(`${user.id}:${labelId}`)) state.remove(labelId, user.id);
          return { success: true, id: labelId, errors: null };
        });
        return { status: 200, body: { results } };
      }
      case 'listLabelUsers': {
        const p = page(query);
        if (!('from' in p)) return p;
        if (!label) return urlNotFound();
        const items = [...(state.members.get(label.id) ?? new Map<string, string>())].map(([u, at]) => render.labelMember(state.users.get(u)!, at));
        return listAnswer(items, p, knobs);
      }
      case 'listUserLabels': {
        const p = page(query);
        if (!('from' in p)) return p;
        if (!user) return urlNotFound();
        const items = state
          .labelsOf(user.id)
          .filter((x) => hcFilter === undefined || x.label.helpCenterId === hcFilter)
          .map((x) => render.userLabel(x.label, x.assignedTime));
        return listAnswer(items, p, knobs);
      }
      case 'getLabel':
        return label ? { status: 200, body: render.labelDetail(state, label) } : urlNotFound();
      case 'listLabels': {
        const p = page(query);
        if (!('from' in p)) return p;
        const items = [...state.labels.values()]
          .filter((l) => hcFilter === undefined || l.helpCenterId === hcFilter)
          .map((l) => render.labelDetail(state, l));
        return listAnswer(items, p, knobs);
      }
      case 'getUser':
        return user ? { status: 200, body: render.userDetail(state, user) } : urlNotFound();
      case 'listHelpCenters': {
        const p = page(query);
        if (!('from' in p)) return p;
        return listAnswer(state.helpCenters.map(render.helpCenter), p, knobs);
      }
      case 'listOrganizations':
        return { status: 200, body: { data: state.organizations.map(render.organization) } };
      case 'deleteLabel':
        // What Zoho does: the label and all its assignments are gone. zdlabels must never get here.
        return label && state.deleteLabel(label.id) ? { status: 204 } : urlNotFound();
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    const send = (a: Answer): void => {
      const headers: Record<string, string> = { ...(a.headers ?? {}) };
      if (a.body !== undefined) headers['content-type'] = 'application/json;charset=UTF-8';
      res.writeHead(a.status, headers);
      res.end(a.body === undefined ? undefined : JSON.stringify(a.body));
    };
    if (method === 'POST' && url.pathname === '/oauth/v2/token') {
      send(token(req, raw));
      return;
    }
    if (method === 'GET' && url.pathname === '/__emulator/log') {
      // Introspection for a separate-process emulator (bench, demos); not part of Zoho's API.
      send({
        status: 200,
        body: {
          pairs: state.pairs().length,
          tokenRequests: tokenRequests.length,
          calls: calls.map((c) => ({ seq: c.seq, endpoint: c.endpoint, status: c.status, ids: c.ids.length, startedAt: c.startedAt, endedAt: c.endedAt })),
        },
      });
      return;
    }

    const match = matchEndpoint(method, url.pathname);
    const del = method === 'DELETE' ? /^\/api\/v1\/labels\/([^/]+)$/.exec(url.pathname) : null;
    const endpoint: CallRecord['endpoint'] = match?.name ?? (del ? 'deleteLabel' : 'unknown');
    const params = match?.params ?? (del ? { labelId: decodeURIComponent(del[1]!) } : {});
    let body: unknown;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        body = Symbol.for('unparseable');
      }
    }
    const ids = body && typeof body === 'object' ? Object.values(body).flatMap((v) => (Array.isArray(v) ? v.map(String) : [])) : [];
    const record: CallRecord = {
      seq: calls.length + 1,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      endpoint,
      orgId: typeof req.headers.orgid === 'string' ? req.headers.orgid : undefined,
      body: typeof body === 'symbol' ? raw : body,
      ids,
      status: 0,
      errorCode: undefined,
      answer: undefined,
      startedAt: performance.now(),
      endedAt: 0,
    };
    calls.push(record);
    inflight += 1;
    const finish = (a: Answer | 'dropped'): void => {
      record.endedAt = performance.now();
      if (a === 'dropped') {
        record.status = 'dropped';
        res.socket?.destroy();
        return;
      }
      record.status = a.status;
      record.errorCode = (a.body as { errorCode?: string } | undefined)?.errorCode;
      record.answer = a.body;
      const remaining = Number.isFinite(knobs.dailyCredits) ? Math.max(0, knobs.dailyCredits - creditsUsed) : 1_000_000;
      send({ ...a, headers: { ...(a.headers ?? {}), 'X-Rate-Limit-Remaining-v3': String(remaining) } });
    };
    try {
      if (inflight > knobs.concurrencyLimit) {
        await sleep(1);
        finish(error(429, 'TOO_MANY_REQUESTS', 'You have made too many requests at the same time; try again later.'));
        return;
      }
      if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);
      if (endpoint === 'unknown') return finish(urlNotFound());
      const refused = authorize(req, endpoint);
      if (refused) return finish(refused);
      if (creditsUsed >= knobs.dailyCredits) {
        const now = new Date();
        const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
        const retryAfter = Math.ceil((midnight - now.getTime()) / 1000);
        return finish({
          ...error(429, 'THRESHOLD_EXCEEDED', 'The API credits of the organization for the day are exhausted.'),
          headers: { 'Retry-After': String(retryAfter) },
        });
      }
      creditsUsed += 1;
      const injected = knobs.inject.find((i) => (i.endpoint === undefined || i.endpoint === endpoint) && (i.times ?? 1) > 0);
      if (injected) {
        if (injected.times !== undefined) injected.times -= 1;
        return finish({
          ...error(injected.status, injected.errorCode, injected.message ?? `Injected ${injected.errorCode}`),
          ...(injected.headers ? { headers: injected.headers } : {}),
        });
      }
      if (typeof body === 'symbol') return finish(error(400, 'BAD_REQUEST', 'The body is not valid JSON.'));
      if (knobs.errorRate > 0 && random() < knobs.errorRate) {
        return finish(error(500, 'INTERNAL_SERVER_ERROR', 'Internal Server Error'));
      }
      const answer = route(endpoint, params, url.searchParams, body);
      // A dropped connection after the change is applied: the worst case for a client.
      if (knobs.dropRate > 0 && random() < knobs.dropRate) return finish('dropped');
      finish(answer);
    } finally {
      inflight -= 1;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errorCode: 'INTERNAL_SERVER_ERROR', message: String(e) }));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  return {
    url,
    state,
    knobs,
    calls,
    tokenRequests,
    credentials,
    env: {
      ZOHO_DESK_URL: url,
      ZOHO_ACCOUNTS_URL: url,
      ZOHO_ORG_ID: state.organizations[0]!.id,
      ZOHO_CLIENT_ID: credentials.clientId,
      ZOHO_CLIENT_SECRET: credentials.clientSecret,
      ZOHO_REFRESH_TOKEN: credentials.refreshToken,
    },
    expireTokens: () => tokens.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
