// Zoho's API credits: what each call weighs, and the org's daily budget.
import { creditWeight as weightOf, type EndpointName } from '../zoho/endpoints.js';
import { error, type Answer } from './answers.js';
import type { EmulatorKnobs } from './knobs.js';

/**
 * Credits one call costs: the endpoint table's weights (Zoho's "API credits"
 * table, shared with the client's estimate); paths outside the table weigh 1.
 */
export function creditWeight(endpoint: EndpointName | 'deleteLabel' | 'unknown', query: URLSearchParams | { from?: number | string | undefined } = {}): number {
  if (endpoint === 'unknown' || endpoint === 'deleteLabel') return 1;
  return weightOf(endpoint, query instanceof URLSearchParams ? { from: query.get('from') ?? undefined } : query);
}

/** What the `X-Rate-Limit-Remaining-v3` header says when the day's credits are unlimited. */
const UNLIMITED_REMAINING = 1_000_000;

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

/** The headers every API answer carries, unless `creditHeaders` omits them (a third party reported them; Zoho's spec does not). */
export function creditHeaders(knobs: EmulatorKnobs, weight: number): Record<string, string> {
  if (knobs.creditHeaders === 'omit') return {};
  return { 'X-Rate-Limit-Remaining-v3': String(creditsLeft(knobs)), 'X-Rate-Limit-Request-Weight-v3': String(weight) };
}
