import type {
  HelpCenter,
  Label,
  LabelMember,
  ListResponse,
  MassActionResponse,
  Organization,
  User,
  UserLabel,
} from './types.js';

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
  },
  removeLabelsFromUser: {
    method: 'POST',
    path: '/api/v1/users/{userId}/labels/remove',
    operationId: 'removeLabelsFromUser',
    write: true,
  },
  addUsersToLabel: {
    method: 'POST',
    path: '/api/v1/labels/{labelId}/users/add',
    operationId: 'assignLabelToUsers',
    write: true,
  },
  listLabelUsers: {
    method: 'GET',
    path: '/api/v1/labels/{labelId}/users',
    operationId: 'getUsersByLabel',
    write: false,
  },
  listUserLabels: {
    method: 'GET',
    path: '/api/v1/users/{userId}/labels',
    operationId: 'getUserLabels',
    write: false,
  },
  getLabel: { method: 'GET', path: '/api/v1/labels/{labelId}', operationId: 'getLabel', write: false },
  listLabels: { method: 'GET', path: '/api/v1/labels', operationId: 'getLabels', write: false },
  getUser: { method: 'GET', path: '/api/v1/users/{userId}', operationId: 'getUserDetails', write: false },
  listHelpCenters: { method: 'GET', path: '/api/v1/helpCenters', operationId: 'getAllHelpCenters', write: false },
  listOrganizations: {
    method: 'GET',
    path: '/api/v1/organizations',
    operationId: 'getOrganizations',
    write: false,
  },
} as const satisfies Record<string, EndpointDef>;

export interface EndpointDef {
  method: 'GET' | 'POST';
  path: string;
  operationId: string;
  write: boolean;
}

export type EndpointName = keyof typeof endpoints;

interface Page {
  from?: number;
  limit?: number;
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
