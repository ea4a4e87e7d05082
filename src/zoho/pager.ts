import type { ZohoClient } from './client.js';
import type { EndpointIO } from './endpoints.js';

type ListName = 'listLabelUsers' | 'listUserLabels' | 'listLabels' | 'listHelpCenters' | 'listUsers';
type Item<K extends ListName> = EndpointIO[K]['answer']['data'][number];
interface ListArgs<K extends ListName> {
  path?: EndpointIO[K]['path'];
  query?: Omit<NonNullable<EndpointIO[K]['query']>, 'from' | 'limit'>;
}

/** Zoho's largest page; the spec's prose says 100 but its schema says 50. */
export const MAX_PAGE = 50;

/**
 * Every item of a list endpoint, page by page with `from`/`limit`. The list
 * ends on a 204, an empty `data`, or a page shorter than asked for.
 */
export async function* paginate<K extends ListName>(
  client: ZohoClient,
  name: K,
  args: ListArgs<K> = {},
  pageSize = MAX_PAGE,
  /** Wraps each page's call (a retry policy, for instance). */
  through: <T>(call: () => Promise<T>) => Promise<T> = (call) => call(),
): AsyncGenerator<Item<K>> {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE) {
    throw new TypeError(`Expected \`pageSize\` to be an integer from 1 to ${MAX_PAGE}, got \`${pageSize}\``);
  }
  for (let from = 1; ; from += pageSize) {
    const page = (await through(() =>
      client.call(name, {
        ...(args.path ? { path: args.path } : {}),
        query: { ...(args.query ?? {}), from, limit: pageSize },
      } as never),
    )) as { data?: Item<K>[] } | undefined;
    const items = page?.data ?? [];
    yield* items;
    if (items.length < pageSize) return;
  }
}

export async function listAll<K extends ListName>(
  client: ZohoClient,
  name: K,
  args: ListArgs<K> = {},
  through?: <T>(call: () => Promise<T>) => Promise<T>,
): Promise<Item<K>[]> {
  const out: Item<K>[] = [];
  for await (const item of paginate(client, name, args, MAX_PAGE, through)) out.push(item);
  return out;
}
