// What every route handler gets, and the request checks they share.
import { invalid, tooMany, type Answer, type ErrorType } from '../answers.js';
import { isDigits, isId } from '../ids.js';
import type { EmulatorKnobs } from '../knobs.js';
import type { EmulatorState } from '../state.js';

export interface RouteContext {
  state: EmulatorState;
  knobs: EmulatorKnobs;
  /** Path parameters, already checked to be IDs. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body, or undefined when none was sent. */
  body: unknown;
}

export interface Route {
  handle(ctx: RouteContext): Answer;
  /** The IDs the call carries, for the call log; default: every array in the body. */
  ids?(ctx: RouteContext): string[];
}

export const refuse = (ctx: RouteContext, fieldName: string, errorType: ErrorType, errorMessage: string, words?: string): Answer =>
  invalid(ctx.knobs, fieldName, errorType, errorMessage, words);

export interface Page {
  from: number;
  limit: number;
}

/** Reads `from`/`limit` as Zoho checks them: 1 ≤ limit ≤ 50, from ≥ 1. */
export function page(ctx: RouteContext): Page | Answer {
  const from = ctx.query.get('from') ?? '1';
  const limit = ctx.query.get('limit') ?? '50';
  if (!isDigits(from) || Number(from) < 1) return refuse(ctx, '/from', 'invalid', 'from must be an integer ≥ 1');
  if (!isDigits(limit) || Number(limit) < 1 || Number(limit) > 50) {
    return refuse(ctx, '/limit', 'invalid', 'limit must be an integer from 1 to 50');
  }
  return { from: Number(from), limit: Number(limit) };
}

export const isPage = (p: Page | Answer): p is Page => 'from' in p;

/** One page of a list: 200 `{data}`, or past its end 204 or `{"data":[]}` per `emptyPage`. Renders only the page. */
export function listAnswer<T>(items: Iterable<T>, p: Page, ctx: RouteContext, render: (item: T) => unknown): Answer {
  const data: unknown[] = [];
  let index = 0;
  for (const item of items) {
    index += 1;
    if (index < p.from) continue;
    if (data.length === p.limit) break;
    data.push(render(item));
  }
  if (data.length === 0 && ctx.knobs.emptyPage === '204') return { status: 204 };
  return { status: 200, body: { data } };
}

/** Reads a write body `{key: [ids]}`, answering 422 as Zoho would for any other shape. */
export function idList(ctx: RouteContext, key: string): string[] | Answer {
  const body = ctx.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return refuse(ctx, `/${key}`, 'missing', 'a JSON object body is required');
  const extra = Object.keys(body).filter((k) => k !== key);
  if (extra.length > 0) return refuse(ctx, `/${extra[0]}`, 'invalid', 'unexpected field');
  const list = (body as Record<string, unknown>)[key];
  if (!Array.isArray(list) || list.length === 0) return refuse(ctx, `/${key}`, 'missing', `${key} must be a non-empty array`);
  const bad = list.findIndex((v) => !isId(v));
  if (bad >= 0) return refuse(ctx, `/${key}/${bad}`, 'invalid', 'not an ID');
  return list.map(String);
}

/** Refused past `maxIdsPerCall`, as `tooLarge` says. */
export const sizeRefusal = (ctx: RouteContext, ids: string[], key: string): Answer | undefined =>
  ids.length > ctx.knobs.maxIdsPerCall ? tooMany(ctx.knobs, key, ctx.knobs.maxIdsPerCall) : undefined;

/** Removes a pair unless `silentlyKeep` says to answer success and keep it. */
export function removePair(ctx: RouteContext, labelId: string, userId: string): void {
  if (ctx.knobs.silentlyKeep.length > 0 && ctx.knobs.silentlyKeep.includes(`${userId}:${labelId}`)) return;
  ctx.state.remove(labelId, userId);
}

/** Every array of IDs in a JSON body, as sent. */
export function bodyIds(body: unknown): string[] {
  return body && typeof body === 'object' ? Object.values(body).flatMap((v) => (Array.isArray(v) ? v.map(String) : [])) : [];
}
