import type {
  HelpCenter,
  Label,
  LabelMember,
  ListResponse,
  MassActionResponse,
  Organization,
  User,
  UserLabel,
  UserListItem,
} from './types.js';

const READ = {
  contacts: 'Desk.contacts.READ',
  settings: 'Desk.settings.READ',
  search: 'Desk.search.READ',
  basic: 'Desk.basic.READ',
} as const;
const UPDATE = { contacts: 'Desk.contacts.UPDATE', settings: 'Desk.settings.UPDATE' } as const;

/**
 * Every call zdlabels may make, and nothing else. The client refuses any
 * (method, path) that does not match one of these templates before doing I/O;
 * the emulator routes with the same table. Paths and bodies follow
 * ../shared/zoho-oas/ (operationId names the operation there).
 */
export const endpoints = {
  removeUsersFromLabel: {
    method: 'POST',
    path: '/api/v1/labels/{labelId}/users/remove',
    operationId: 'removeLabelsFromUsers',
    write: true,
    scopes: [UPDATE.contacts, UPDATE.settings],
  },
  removeLabelsFromUser: {
    method: 'POST',
    path: '/api/v1/users/{userId}/labels/remove',
    operationId: 'removeLabelsFromUser',
    write: true,
    scopes: [UPDATE.contacts, UPDATE.settings],
  },
  addUsersToLabel: {
    method: 'POST',
    path: '/api/v1/labels/{labelId}/users/add',
    operationId: 'assignLabelToUsers',
    write: true,
    scopes: [UPDATE.contacts, UPDATE.settings],
  },
  listLabelUsers: {
    method: 'GET',
    path: '/api/v1/labels/{labelId}/users',
    operationId: 'getUsersByLabel',
    write: false,
    scopes: [READ.contacts, READ.settings, READ.search],
  },
  listUserLabels: {
    method: 'GET',
    path: '/api/v1/users/{userId}/labels',
    operationId: 'getUserLabels',
    write: false,
    scopes: [READ.contacts, READ.settings],
  },
  getLabel: { method: 'GET', path: '/api/v1/labels/{labelId}', operationId: 'getLabel', write: false, scopes: [READ.contacts, READ.settings] },
  listLabels: { method: 'GET', path: '/api/v1/labels', operationId: 'getLabels', write: false, scopes: [READ.contacts, READ.settings] },
  getUser: {
    method: 'GET',
    path: '/api/v1/users/{userId}',
    operationId: 'getUserDetails',
    write: false,
    scopes: [READ.contacts, READ.settings, READ.basic],
  },
  listUsers: {
    method: 'GET',
    path: '/api/v1/users',
    operationId: 'getUsers',
    write: false,
    scopes: [READ.contacts, READ.settings, READ.basic, READ.search],
  },
  // The spec also names Desk.basic.READ here; today's tokens are checked for settings only.
  listHelpCenters: { method: 'GET', path: '/api/v1/helpCenters', operationId: 'getAllHelpCenters', write: false, scopes: [READ.settings] },
  // The spec also names Desk.organization.READ and Desk.settings.READ; Zoho's docs and
  // every token made from the README's scope list work with Desk.basic.READ alone.
  listOrganizations: {
    method: 'GET',
    path: '/api/v1/organizations',
    operationId: 'getOrganizations',
    write: false,
    scopes: [READ.basic],
  },
} as const satisfies Record<string, EndpointDef>;

export interface EndpointDef {
  method: 'GET' | 'POST';
  path: string;
  operationId: string;
  write: boolean;
  /** OAuth scopes a token needs for this call, every one of them (a subset of the spec's `security`). */
  scopes: readonly string[];
}

export type EndpointName = keyof typeof endpoints;

interface Page {
  from?: number;
  limit?: number;
}

/** The filters of `GET /api/v1/users` (User.json getUsers). */
interface UserListQuery extends Page {
  /** Zoho's default when absent is not documented: send it. */
  status?: 'ACTIVE' | 'DISABLED' | 'DELETED' | 'ALL';
  helpCenterId?: string;
  /** ISO instants in GMT, e.g. `2026-01-05T09:00:00.000Z`. */
  lastActivityStartTime?: string;
  lastActivityEndTime?: string;
  /** At least 2 characters of a user's email or name. */
  searchBy?: string;
  sortBy?: 'email' | '-email' | 'modifiedTime' | '-modifiedTime';
}

/** Path parameters, query and body of each call, and what a success answers. */
export interface EndpointIO {
  removeUsersFromLabel: { path: { labelId: string }; query: undefined; body: { userIds: string[] }; answer: undefined };
  removeLabelsFromUser: {
    path: { userId: string };
    /** `labelIds` (comma-separated) only when Zoho wants them in the query rather than the body (learned at run time). */
    query: { helpCenterId?: string; labelIds?: string };
    body: { labelIds: string[] } | undefined;
    answer: MassActionResponse;
  };
  addUsersToLabel: { path: { labelId: string }; query: undefined; body: { userIds: string[] }; answer: undefined };
  listLabelUsers: { path: { labelId: string }; query: Page; body: undefined; answer: ListResponse<LabelMember> };
  listUserLabels: {
    path: { userId: string };
    query: Page & { helpCenterId?: string };
    body: undefined;
    answer: ListResponse<UserLabel>;
  };
  getLabel: { path: { labelId: string }; query: undefined; body: undefined; answer: Label };
  listLabels: { path: undefined; query: Page & { helpCenterId?: string }; body: undefined; answer: ListResponse<Label> };
  getUser: { path: { userId: string }; query: { helpCenterId?: string }; body: undefined; answer: User };
  listUsers: { path: undefined; query: UserListQuery; body: undefined; answer: ListResponse<UserListItem> };
  listHelpCenters: { path: undefined; query: Page; body: undefined; answer: ListResponse<HelpCenter> };
  listOrganizations: { path: undefined; query: undefined; body: undefined; answer: ListResponse<Organization> };
}

/**
 * Zoho's API credits for one call (ZOHO-NOTES.md, "Credits per call"): a get
 * by id 1, a write 1, a list 3, more at deep offsets (5 past 2,000 rows, 10
 * past 10,000, 25 past 50,000, 100 past 100,000). Zoho reports the real cost
 * in X-Rate-Limit-Request-Weight-v3; this is the estimate made before sending.
 */
export function creditWeight(name: EndpointName, query: { from?: number | string | undefined } = {}): number {
  const def: EndpointDef = endpoints[name];
  if (def.write || !name.startsWith('list')) return 1;
  const from = Number(query.from ?? 1);
  if (from > 100_000) return 100;
  if (from > 50_000) return 25;
  if (from > 10_000) return 10;
  if (from > 2_000) return 5;
  return 3;
}
/** Every scope some call of the table needs (what a refresh token must be created with), sorted. */
export const requiredScopes: readonly string[] = [...new Set(Object.values(endpoints).flatMap((e: EndpointDef) => e.scopes))].sort();

/** Calls that need no `orgId` header (Zoho's docs: listing organizations). */
export function needsOrgId(name: EndpointName): boolean {
  return name !== 'listOrganizations';
}

export interface EndpointMatch {
  name: EndpointName;
  params: Record<string, string>;
}

const compiled = (Object.keys(endpoints) as EndpointName[]).map((name) => {
  const def: EndpointDef = endpoints[name];
  const names: string[] = [];
  // Parameters match any single path segment; whether it is a valid ID is checked apart.
  const source = def.path.replace(/\{(\w+)\}/g, (_m, p: string) => {
    names.push(p);
    return '([^/]+)';
  });
  return { name, method: def.method, regex: new RegExp(`^${source}$`), names };
});

/** The table entry a method and path (no query) belong to, or undefined. */
export function matchEndpoint(method: string, pathname: string): EndpointMatch | undefined {
  for (const entry of compiled) {
    if (entry.method !== method.toUpperCase()) continue;
    const m = entry.regex.exec(pathname);
    if (!m) continue;
    const params: Record<string, string> = {};
    entry.names.forEach((p, i) => {
      params[p] = decodeURIComponent(m[i + 1] ?? '');
    });
    return { name: entry.name, params };
  }
  return undefined;
}

/** Fills a path template; every parameter must already be a checked ID. */
export function buildPath(name: EndpointName, params: Record<string, string> | undefined): string {
  return endpoints[name].path.replace(/\{(\w+)\}/g, (_m, p: string) => {
    const value = params?.[p];
    if (value === undefined) throw new Error(`buildPath: missing parameter ${p} for ${name}`);
    return encodeURIComponent(value);
  });
}
