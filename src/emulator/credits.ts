// Zoho's API credits: what each call weighs, and the org's daily budget.
import type { EndpointName } from '../zoho/endpoints.js';
import { error, type Answer } from './answers.js';
import type { EmulatorKnobs } from './options.js';

type Kind = 'get' | 'list' | 'write';

/** Every endpoint's kind in Zoho's credit table; `satisfies` makes a new endpoint name its kind. */
const kinds = {
  removeUsersFromLabel: 'write',
  removeLabelsFromUser: 'write',
  addUsersToLabel: 'write',
  deleteLabel: 'write',
  getLabel: 'get',
  getUser: 'get',
  listLabelUsers: 'list',
  listUserLabels: 'list',
  listLabels: 'list',
  listHelpCenters: 'list',
  listUsers: 'list',
  listOrganizations: 'list',
} as const satisfies Record<EndpointName | 'deleteLabel', Kind>;

/** A list call costs more the deeper its page starts (past `from`: weight). */
const depth: [from: number, weight: number][] = [
  [100_000, 100],
  [50_000, 25],
  [10_000, 10],
  [2_000, 5],
];

/**
 * Credits one call costs (Zoho's "API credits" table): a get-by-id or a write
 * 1; a list 3, or 5 when `from` > 2,000, 10 past 10,000, 25 past 50,000, 100
 * past 100,000. Paths outside the table weigh 1.
 */
export function creditWeight(endpoint: EndpointName | 'deleteLabel' | 'unknown', query: URLSearchParams | { from?: number | string | undefined } = {}): number {
  if (endpoint === 'unknown' || kinds[endpoint] !== 'list') return 1;
  const raw = query instanceof URLSearchParams ? query.get('from') : query.from;
  const from = Number(raw ?? 1);
  return depth.find(([past]) => from > past)?.[1] ?? 3;
}

/** What the `X-Rate-Limit-Remaining-v3` header says when the day's credits are unlimited. */
export const UNLIMITED_REMAINING = 1_000_000;

export function creditsLeft(knobs: Pick<EmulatorKnobs, 'dailyCredits' | 'creditsUsed'>): number {
  return Number.isFinite(knobs.dailyCredits) ? Math.max(0, knobs.dailyCredits - knobs.creditsUsed) : UNLIMITED_REMAINING;
}

/** Spends `weight` credits, or answers 429 THRESHOLD_EXCEEDED (costing nothing) when fewer are left. */
export function charge(knobs: EmulatorKnobs, weight: number, now = new Date()): Answer | undefined {
  if (knobs.creditsUsed + weight > knobs.dailyCredits) {
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    return {
      ...error(429, 'THRESHOLD_EXCEEDED', 'The API credits of the organization for the day are exhausted.'),
      headers: { 'Retry-After': String(Math.ceil((midnight - now.getTime()) / 1000)) },
    };
  }
  knobs.creditsUsed += weight;
  return undefined;
}

/** The headers every API answer carries. */
export function creditHeaders(knobs: EmulatorKnobs, weight: number): Record<string, string> {
  return { 'X-Rate-Limit-Remaining-v3': String(creditsLeft(knobs)), 'X-Rate-Limit-Request-Weight-v3': String(weight) };
}
