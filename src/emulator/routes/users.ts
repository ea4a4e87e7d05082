// The user side: remove labels from one user, read a user and their labels.
import { NOT_ASSOCIATED, urlNotFound, type Answer } from '../answers.js';
import { isId } from '../ids.js';
import * as render from '../render.js';
import { bodyIds, idList, isPage, listAnswer, page, refuse, removePair, sizeRefusal, type Route, type RouteContext } from './context.js';

/** `labelIds` of a by-user removal: from the JSON body, or with `labelIdsIn: query` from `?labelIds=1,2,3` only. */
function labelIds(ctx: RouteContext): string[] | Answer {
  if (ctx.knobs.labelIdsIn === 'body') return idList(ctx, 'labelIds');
  const raw = ctx.query.get('labelIds');
  if (raw === null || raw === '') return refuse(ctx, '/labelIds', 'missing', 'labelIds must be given in the query: labelIds=1,2,3');
  const list = raw.split(',');
  const bad = list.findIndex((v) => !isId(v));
  if (bad >= 0) return refuse(ctx, `/labelIds/${bad}`, 'invalid', 'not an ID');
  return list;
}

const entry = (id: string, failure?: { errorCode: string; httpCode: number; error: string }) =>
  failure ? { success: false, id, errors: failure } : { success: true, id, errors: null };

const nonMemberFailure = { '404': { errorCode: 'RESOURCE_NOT_FOUND', httpCode: 404, error: NOT_ASSOCIATED }, '422': { errorCode: 'INVALID_DATA', httpCode: 422, error: NOT_ASSOCIATED } };

const removeLabelsFromUser: Route = {
  ids: (ctx) => (ctx.knobs.labelIdsIn === 'query' ? (ctx.query.get('labelIds') ?? '').split(',').filter((v) => v !== '') : bodyIds(ctx.body)),
  handle(ctx) {
    const ids = labelIds(ctx);
    if (!Array.isArray(ids)) return ids;
    const large = sizeRefusal(ctx, ids, 'labelIds');
    if (large) return large;
    const user = ctx.state.users.get(ctx.params.userId!);
    if (!user) return urlNotFound();
    const hc = ctx.query.get('helpCenterId');
    const inScope = (labelId: string): boolean => {
      const label = ctx.state.labels.get(labelId);
      return label !== undefined && (hc === null || label.helpCenterId === hc);
    };
    // Each label's outcome is decided on the state before this call, as one mass action.
    const results = ids.map((labelId) => {
      if (!inScope(labelId)) return entry(labelId, { errorCode: 'INVALID_DATA', httpCode: 422, error: 'Label not found' });
      if (!ctx.state.has(labelId, user.id) && ctx.knobs.nonMember !== 'success') return entry(labelId, nonMemberFailure[ctx.knobs.nonMember]);
      if (ctx.knobs.removeScope === 'listed') removePair(ctx, labelId, user.id);
      return entry(labelId);
    });
    // removeScope "all": every label the user holds goes, within the help center when one is named.
    if (ctx.knobs.removeScope === 'all') for (const held of ctx.state.labelsOf(user.id)) if (inScope(held.label.id)) removePair(ctx, held.label.id, user.id);
    return { status: 200, body: { results } };
  },
};

const listUserLabels: Route = {
  handle(ctx) {
    const p = page(ctx);
    if (!isPage(p)) return p;
    const user = ctx.state.users.get(ctx.params.userId!);
    if (!user) return urlNotFound();
    const hc = ctx.query.get('helpCenterId');
    const held = ctx.state.labelsOf(user.id).filter((x) => hc === null || x.label.helpCenterId === hc);
    return listAnswer(held, p, ctx, (x) => render.userLabel(x.label, x.assignedTime));
  },
};

const getUser: Route = {
  handle(ctx) {
    const user = ctx.state.users.get(ctx.params.userId!);
    return user ? { status: 200, body: render.userDetail(ctx.state, user) } : urlNotFound();
  },
};

export const userRoutes = { removeLabelsFromUser, listUserLabels, getUser };
