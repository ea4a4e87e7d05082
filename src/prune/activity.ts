// Which members have had no activity since a cutoff. Only a user's own record
// (getUser: 1 credit) proves inactivity: a removal is never decided by a user's
// absence from a list, since the users list's activity filter is not verified
// against real Zoho (its spec's words are copied from another API). The list,
// filtered to users active since the cutoff (3 credits a page of 50), can only
// prove activity: the candidates it shows are kept without a read of their
// own. It is read while it costs less than reading the candidates one by one
// would, then every candidate it has not shown is read. So a run never spends
// more than twice the one-by-one reads, and less when most candidates are active.
import PQueue from 'p-queue';
import { ZohoApiError } from '../errors/ZohoApiError.js';
import { retryRead } from '../run/retry.js';
import type { ZohoClient } from '../zoho/client.js';
import { creditWeight } from '../zoho/endpoints.js';
import { MAX_PAGE, paginate } from '../zoho/pager.js';
import { inactiveAt } from './rules.js';

export interface ActivityRead {
  /** The candidates with no activity since the cutoff (as Zoho's records show it). */
  inactive: Set<string>;
  /** How it was read, in words, for the log. */
  how: string;
}

/** The spec's filter takes instants from 2020 on. */
const FILTER_FROM = Date.parse('2020-01-01T00:00:00.000Z');

class OverBudget extends Error {}

/**
 * Users of `helpCenters` active since `cutoff`, from the filtered users list,
 * while its credits stay within `budget`. `complete` is false when the list was
 * left unfinished, or an item contradicted the filter (its own last activity
 * is before the cutoff): the list then proves nothing about who is missing.
 */
async function activeFromList(client: ZohoClient, helpCenters: readonly string[], cutoff: Date, budget: number): Promise<{ active: Set<string>; complete: boolean; spent: number; pages: number }> {
  const active = new Set<string>();
  let spent = 0;
  let pages = 0;
  for (const helpCenterId of helpCenters) {
    let page = 0;
    // Each page is admitted against the budget before it is asked for.
    const through = <T>(call: () => Promise<T>): Promise<T> => {
      const weight = creditWeight('listUsers', { from: 1 + MAX_PAGE * page++ });
      if (spent + weight > budget) throw new OverBudget();
      spent += weight;
      pages += 1;
      return retryRead(call);
    };
    try {
      const query = { status: 'ALL' as const, helpCenterId, lastActivityStartTime: cutoff.toISOString() };
      for await (const user of paginate(client, 'listUsers', { query }, MAX_PAGE, through)) {
        if (inactiveAt(user.lastAccessedTime, cutoff)) return { active, complete: false, spent, pages };
        active.add(user.id);
      }
    } catch (error) {
      if (error instanceof OverBudget) return { active, complete: false, spent, pages };
      throw error;
    }
  }
  return { active, complete: true, spent, pages };
}

/** Reads each user's record; those whose last activity is before the cutoff. A user that cannot be found is kept: no evidence. */
async function inactiveOneByOne(client: ZohoClient, userIds: readonly string[], cutoff: Date, concurrency: number): Promise<Set<string>> {
  const inactive = new Set<string>();
  const queue = new PQueue({ concurrency });
  await Promise.all(
    userIds.map((userId) =>
      queue.add(async () => {
        try {
          const user = await retryRead(() => client.call('getUser', { path: { userId } }));
          if (inactiveAt(user.lastAccessedTime, cutoff)) inactive.add(userId);
        } catch (error) {
          if (!(error instanceof ZohoApiError && error.kind === 'not_found')) throw error;
        }
      }),
    ),
  );
  return inactive;
}

/**
 * Which of `candidates` (user → the help center of the label they hold) have
 * had no activity since `cutoff`, for the fewest credits (see the top of this file).
 */
export async function inactiveSince(client: ZohoClient, candidates: ReadonlyMap<string, string>, cutoff: Date, concurrency: number): Promise<ActivityRead> {
  const ids = [...candidates.keys()];
  const helpCenters = [...new Set(candidates.values())];
  const oneByOne = `${ids.length} user(s) read one by one (${ids.length} credits)`;
  // One list page costs 3: with 3 candidates or fewer, one by one is never dearer.
  if (ids.length <= 3 || cutoff.getTime() < FILTER_FROM) {
    return { inactive: await inactiveOneByOne(client, ids, cutoff, concurrency), how: oneByOne };
  }
  const list = await activeFromList(client, helpCenters, cutoff, ids.length);
  const listed = `the users list of ${helpCenters.length} help center(s), filtered to activity since the cutoff (${list.pages} page(s), ${list.spent} credits${list.complete ? '' : ', left when it would cost more than reading the users'})`;
  // Absent from the list proves nothing: each one left is read (its own record decides).
  const rest = ids.filter((id) => !list.active.has(id));
  const inactive = await inactiveOneByOne(client, rest, cutoff, concurrency);
  return { inactive, how: `${listed} showed ${ids.length - rest.length} active; then ${rest.length} user(s) read one by one` };
}
