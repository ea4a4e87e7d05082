// The route table: one handler per name of the endpoint table, plus the one
// call outside it that the emulator still answers (DELETE /labels/{id}).
import { matchEndpoint, type EndpointName } from '../../zoho/endpoints.js';
import type { Answer } from '../answers.js';
import { isId } from '../ids.js';
import { bodyIds, refuse, type Route, type RouteContext } from './context.js';
import { labelRoutes } from './labels.js';
import { orgRoutes } from './org.js';
import { userListRoutes } from './userList.js';
import { userRoutes } from './users.js';

export type RouteName = EndpointName | 'deleteLabel';

const routes: Record<RouteName, Route> = { ...labelRoutes, ...userRoutes, ...userListRoutes, ...orgRoutes };

/** The route a method and path belong to, with its path parameters; undefined: 404 URL_NOT_FOUND. */
export function resolveRoute(method: string, pathname: string): { name: RouteName; params: Record<string, string> } | undefined {
  const match = matchEndpoint(method, pathname);
  if (match) return match;
  const del = method === 'DELETE' ? /^\/api\/v1\/labels\/([^/]+)$/.exec(pathname) : null;
  return del ? { name: 'deleteLabel', params: { labelId: decodeURIComponent(del[1]!) } } : undefined;
}

/** Serves a call: path IDs and `helpCenterId` are checked for every route first. */
export function dispatch(name: RouteName, ctx: RouteContext): Answer {
  for (const [param, value] of Object.entries(ctx.params)) if (!isId(value)) return refuse(ctx, `/${param}`, 'invalid', 'not an ID');
  const hc = ctx.query.get('helpCenterId');
  if (hc !== null && !isId(hc)) return refuse(ctx, '/helpCenterId', 'invalid', 'not an ID');
  return routes[name].handle(ctx);
}

/** The IDs a call carries, for the call log. */
export const idsOf = (name: RouteName, ctx: RouteContext): string[] => routes[name].ids?.(ctx) ?? bodyIds(ctx.body);
