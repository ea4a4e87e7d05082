// GET /api/v1/users (User.json getUsers): a help center's users, filtered and sorted.
import type { Answer } from '../answers.js';
import * as render from '../render.js';
import { isoInstant } from '../seedSchema.js';
import type { EmUser } from '../state.js';
import { isPage, listAnswer, page, refuse, type Route, type RouteContext } from './context.js';

const statuses = ['ACTIVE', 'DISABLED', 'DELETED', 'ALL'];
const sorts: Record<string, (a: EmUser, b: EmUser) => number> = {
  email: (a, b) => compare(a.email.toLowerCase(), b.email.toLowerCase()),
  modifiedTime: (a, b) => a.modifiedTime - b.modifiedTime,
};
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const iso = new RegExp(isoInstant);

type Filter = (u: EmUser) => boolean;

/** `lastActivityStartTime`/`EndTime`: a user matches when its last activity is within; one with none never does. */
function activityFilter(ctx: RouteContext): Filter | Answer | undefined {
  const bounds: number[] = [];
  for (const [name, absent] of [['lastActivityStartTime', -Infinity], ['lastActivityEndTime', Infinity]] as const) {
    const raw = ctx.query.get(name);
    if (raw !== null && !iso.test(raw)) return refuse(ctx, `/${name}`, 'invalid', `${name} must be an ISO instant like 2026-01-05T09:00:00.000Z`);
    bounds.push(raw === null ? absent : Date.parse(raw));
  }
  const [start = -Infinity, end = Infinity] = bounds;
  if (start === -Infinity && end === Infinity) return undefined;
  return (u) => {
    if (u.lastAccessedTime === null) return false;
    const t = Date.parse(u.lastAccessedTime);
    return t >= start && t <= end;
  };
}

/** Every filter the query asks for, or the 422 for the first bad one. */
function filters(ctx: RouteContext): Filter[] | Answer {
  const out: Filter[] = [];
  // Zoho does not document the default; the tool always sends `status`.
  const status = ctx.query.get('status') ?? 'ACTIVE';
  if (!statuses.includes(status)) return refuse(ctx, '/status', 'invalid', `status must be one of ${statuses.join(', ')}`);
  if (status !== 'ALL') out.push((u) => u.status === status);
  const hc = ctx.query.get('helpCenterId');
  if (hc !== null) out.push((u) => ctx.state.inHelpCenter(u, hc));
  const activity = activityFilter(ctx);
  if (typeof activity === 'object') return activity;
  if (activity) out.push(activity);
  const search = ctx.query.get('searchBy');
  if (search !== null) {
    if (search.trim().length < 2) return refuse(ctx, '/searchBy', 'invalid', 'searchBy must hold at least two characters');
    const needle = search.trim().toLowerCase();
    out.push((u) => u.email.toLowerCase().includes(needle) || u.name.toLowerCase().includes(needle));
  }
  return out;
}

const listUsers: Route = {
  handle(ctx) {
    const p = page(ctx);
    if (!isPage(p)) return p;
    const sortBy = ctx.query.get('sortBy');
    const sort = sortBy === null ? undefined : sorts[sortBy.replace(/^-/, '')];
    if (sortBy !== null && !sort) return refuse(ctx, '/sortBy', 'invalid', 'sortBy must be email, -email, modifiedTime or -modifiedTime');
    const keep = filters(ctx);
    if (!Array.isArray(keep)) return keep;
    const users = [...ctx.state.users.values()].filter((u) => keep.every((f) => f(u)));
    if (sort) users.sort(sortBy!.startsWith('-') ? (a, b) => sort(b, a) : sort);
    return listAnswer(users, p, ctx, (u) => render.userListItem(ctx.state, u));
  },
};

export const userListRoutes = { listUsers };
