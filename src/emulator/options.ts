import type { Seed } from './seed.js';

/** Knobs of the emulator; all can be changed on a running emulator through `knobs`. */
export interface EmulatorKnobs {
  /** Added to every API call, in ms. */
  latencyMs: number;
  /** Calls in flight above this answer 429 TOO_MANY_REQUESTS (Zoho's per-org limit). */
  concurrencyLimit: number;
  /** API calls allowed before 429 THRESHOLD_EXCEEDED with Retry-After. */
  dailyCredits: number;
  /** API calls an access token serves before 401 INVALID_OAUTH. */
  tokenLifetimeCalls: number;
  /** Seconds an access token lives (also its `expires_in`). */
  tokenLifetimeSeconds: number;
  /** Most IDs in one write call before 422 RESOURCE_SIZE_EXCEEDED. */
  maxIdsPerCall: number;
  /** Probability of a 500 before a call is applied. */
  errorRate: number;
  /** Probability of a dropped connection after a call is applied. */
  dropRate: number;
  /** Seed of the fault generator. */
  faultSeed: number;
  /** Past the end of a list: 204 with no body, or 200 with `{"data":[]}`. */
  emptyPage: '204' | 'data';
  /** Scopes the emulator's access tokens carry. */
  scopes: string[];
  /** Pairs "userId:labelId" that removals answer success for but silently keep. */
  silentlyKeep: string[];
  /**
   * Error answers to give instead of serving, first match wins; each is used
   * `times` times (default: always). For answers no other knob produces
   * (403 FORBIDDEN, LICENSE_ACCESS_LIMITED, …).
   */
  inject: InjectedError[];
}

export interface InjectedError {
  endpoint?: string;
  status: number;
  errorCode: string;
  message?: string;
  times?: number;
  headers?: Record<string, string>;
}

export interface EmulatorOptions extends Partial<EmulatorKnobs> {
  seed?: Seed;
  host?: string;
  port?: number;
  credentials?: { clientId: string; clientSecret: string; refreshToken: string };
}

export const allScopes = [
  'Desk.contacts.READ',
  'Desk.contacts.UPDATE',
  'Desk.settings.READ',
  'Desk.settings.UPDATE',
  'Desk.search.READ',
  'Desk.basic.READ',
];

export const defaultKnobs: EmulatorKnobs = {
  latencyMs: 0,
  concurrencyLimit: 25,
  dailyCredits: Number.POSITIVE_INFINITY,
  tokenLifetimeCalls: Number.POSITIVE_INFINITY,
  tokenLifetimeSeconds: 3600,
  maxIdsPerCall: Number.POSITIVE_INFINITY,
  errorRate: 0,
  dropRate: 0,
  faultSeed: 1,
  emptyPage: '204',
  scopes: allScopes,
  silentlyKeep: [],
  inject: [],
};
