// The label side: remove or add users on one label, read labels and their members.
import { error, NOT_ASSOCIATED, urlNotFound, type Answer } from '../answers.js';
import * as render from '../render.js';
import type { EmLabel } from '../state.js';
import { idList, isPage, listAnswer, page, refuse, removePair, sizeRefusal, type Route, type RouteContext } from './context.js';

interface Listed {
  id: string;
  /** Position in `userIds` as sent. */
  index: number;
}

/**
 * A 422 refusing the listed users at `refused` (at least one): with an errors
 * array it names the first of them, or every one (`namesRefused`); without
 * one, words only, as for any 422.
 */
function refuseListed(ctx: RouteContext, refused: Listed[], message: (u: Listed) => string, words?: string): Answer {
  const named = ctx.knobs.namesRefused === 'all' ? refused : refused.slice(0, 1);
  const first = refuse(ctx, `/userIds/${named[0]!.index}`, 'invalid', message(named[0]!), words);
  if (named.length === 1 || ctx.knobs.errorsArray === 'without') return first;
  const errors = named.map((u) => ({ fieldName: `/userIds/${u.index}`, errorType: 'invalid', errorMessage: message(u) }));
  return { ...first, body: { ...(first.body as object), errors } };
}

/** The listed users that exist; with `unknownUserInBatch: reject`, a 422 naming those that do not. */
function knownUsers(ctx: RouteContext, ids: string[]): Listed[] | Answer {
  const listed = ids.map((id, index) => ({ id, index }));
  const known = listed.filter((u) => ctx.state.users.has(u.id));
  // Zoho refuses the whole batch when any ID is bad: nothing is applied.
  if (known.length < listed.length && ctx.knobs.unknownUserInBatch === 'reject') {
    return refuseListed(ctx, listed.filter((u) => !ctx.state.users.has(u.id)), (u) => `user ${u.id} does not exist`);
  }
  return known;
}

/** With `nonMember` 404 or 422, a listed user who does not hold the label refuses the whole call. */
function nonMemberRefusal(ctx: RouteContext, label: EmLabel, listed: Listed[]): Answer | undefined {
  if (ctx.knobs.nonMember === 'success') return undefined;
  const outsiders = listed.filter((u) => !ctx.state.has(label.id, u.id));
  if (outsiders.length === 0) return undefined;
  if (ctx.knobs.nonMember === '404') return error(404, 'RESOURCE_NOT_FOUND', NOT_ASSOCIATED);
  return refuseListed(ctx, outsiders, () => NOT_ASSOCIATED, NOT_ASSOCIATED);
}

/** The checks both label writes make; the label and the existing listed users when all pass. */
function labelWrite(ctx: RouteContext): { label: EmLabel; listed: Listed[] } | Answer {
  const ids = idList(ctx, 'userIds');
  if (!Array.isArray(ids)) return ids;
  const large = sizeRefusal(ctx, ids, 'userIds');
  if (large) return large;
  const label = ctx.state.labels.get(ctx.params.labelId!);
  if (!label) return urlNotFound();
  const listed = knownUsers(ctx, ids);
  return Array.isArray(listed) ? { label, listed } : listed;
}

const removeUsersFromLabel: Route = {
  handle(ctx) {
    const w = labelWrite(ctx);
    if (!('label' in w)) return w;
    const refused = nonMemberRefusal(ctx, w.label, w.listed);
    if (refused) return refused;
    // removeScope "all": the spec's words taken literally, every member goes whatever was listed.
    const gone = ctx.knobs.removeScope === 'all' ? [...(ctx.state.members.get(w.label.id)?.keys() ?? [])] : w.listed.map((u) => u.id);
    for (const userId of gone) removePair(ctx, w.label.id, userId);
    return { status: 204 };
  },
};

const addUsersToLabel: Route = {
  handle(ctx) {
    const w = labelWrite(ctx);
    if (!('label' in w)) return w;
    for (const u of w.listed) ctx.state.add(w.label.id, u.id);
    return { status: 204 };
  },
};

const listLabelUsers: Route = {
  handle(ctx) {
    const p = page(ctx);
    if (!isPage(p)) return p;
    const members = ctx.state.members.get(ctx.params.labelId!);
    if (!members) return urlNotFound();
    return listAnswer(members, p, ctx, ([userId, at]) => render.labelMember(ctx.state.users.get(userId)!, at));
  },
};

const getLabel: Route = {
  handle(ctx) {
    const label = ctx.state.labels.get(ctx.params.labelId!);
    return label ? { status: 200, body: render.labelDetail(ctx.state, label) } : urlNotFound();
  },
};

const listLabels: Route = {
  handle(ctx) {
    const p = page(ctx);
    if (!isPage(p)) return p;
    const hc = ctx.query.get('helpCenterId');
    const labels = [...ctx.state.labels.values()].filter((l) => hc === null || l.helpCenterId === hc);
    return listAnswer(labels, p, ctx, (l) => render.labelDetail(ctx.state, l));
  },
};

/** Outside the endpoint table: what Zoho does (the label and its assignments are gone). zdlabels must never get here. */
const deleteLabel: Route = {
  handle(ctx) {
    return ctx.state.deleteLabel(ctx.params.labelId!) ? { status: 204 } : urlNotFound();
  },
};

export const labelRoutes = { removeUsersFromLabel, addUsersToLabel, listLabelUsers, getLabel, listLabels, deleteLabel };
