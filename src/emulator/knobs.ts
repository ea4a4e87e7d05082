import { requiredScopes } from '../zoho/endpoints.js';
import type { Seed } from './seed.js';

/**
 * Knobs of the emulator; all can be changed on a running emulator through
 * `knobs`. Defaults are the behaviour the tool was first built against; the
 * knobs marked "unknown" offer each plausible answer of real Zoho where its
 * published spec is silent (../shared/ZOHO-NOTES.md), so the tool can be
 * proven right under every one.
 */
export interface EmulatorKnobs {
  /** Added to every API call, in ms. */
  latencyMs: number;
  /** Calls in flight above this answer 429 TOO_MANY_REQUESTS (Zoho's per-org limit). */
  concurrencyLimit: number;
  /** Credits a day; a call whose weight exceeds what is left answers 429 THRESHOLD_EXCEEDED with Retry-After. */
  dailyCredits: number;
  /** Credits spent so far today; settable, so a test can start with few left. */
  creditsUsed: number;
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
  /** Unknown: where `POST /users/{id}/labels/remove` reads `labelIds` (JSON body, or query `labelIds=1,2`). */
  labelIdsIn: 'body' | 'query';
  /** Unknown: every 422 as `INVALID_DATA` with an `errors` array, or `UNPROCESSABLE_ENTITY` with none. */
  errorsArray: 'with' | 'without';
  /** Unknown: removing a user who exists but does not hold the label. */
  nonMember: 'success' | '404' | '422';
  /** Unknown: a user ID that does not exist inside a label-endpoint batch. */
  unknownUserInBatch: 'reject' | 'ignore';
  /** The catastrophe the spec's wording allows: a removal takes every membership, not the listed ones. */
  removeScope: 'listed' | 'all';
  /**
   * Unknown: which refused IDs a label call's 422 (with an errors array) names, when several are refused
   * (non-members with `nonMember: 422`, unknown users with `unknownUserInBatch: reject`): the first, or every one.
   */
  namesRefused: 'first' | 'all';
  /** HTTP status of OAUTH_ORG_MISMATCH. */
  orgMismatchStatus: 401 | 403;
  /** How a call needing a scope the token lacks is refused. */
  scopeError: 'SCOPE_MISMATCH-401' | 'INVALID_OAUTH-401' | 'INVALID_OAUTH-403';
  /** Successful refreshes within a rolling 10 minutes before the token endpoint throttles. */
  refreshThrottleAfter: number;
  /** Seconds of silence (since the last refused request) that lift the refresh throttle. */
  refreshThrottleSeconds: number;
  /** Language of the throttle's `error` and `error_description`. */
  refreshThrottleLocale: 'en' | 'zh';
  /** `api_domain` of the token answer. */
  apiDomain: string;
  /** [3P] Whether API answers carry `X-Rate-Limit-Remaining-v3` and `X-Rate-Limit-Request-Weight-v3`. */
  creditHeaders: 'send' | 'omit';
  /** [3P] HTTP status of a refused refresh request (`{"error":"invalid_code"}` and the like): 200 as reported, or 400. */
  refreshRefusalStatus: 200 | 400;
  /** [3P] A dead or invalid access token: 401 INVALID_OAUTH with Zoho's JSON, or a 401 with an empty body. */
  invalidTokenBody: 'json' | 'empty';
  /** Unknown: how a write with more than `maxIdsPerCall` IDs is refused (see TooLargeAnswer). */
  tooLarge: TooLargeAnswer;
}

/**
 * A batch too large: `size-exceeded` is 422 RESOURCE_SIZE_EXCEEDED (in Zoho's
 * error codes, its status unpublished); `413` the same body with HTTP 413;
 * `413-html` a proxy's HTML page; `413-empty` no body; `422-words`
 * UNPROCESSABLE_ENTITY whose words give the maximum, no `errors`; `422-bare`
 * UNPROCESSABLE_ENTITY whose words do not; `422-empty` no body.
 */
export const tooLargeAnswers = ['size-exceeded', '413', '413-html', '413-empty', '422-words', '422-bare', '422-empty'] as const;
export type TooLargeAnswer = (typeof tooLargeAnswers)[number];

interface InjectedError {
  endpoint?: string;
  status: number;
  errorCode: string;
  message?: string;
  times?: number;
  headers?: Record<string, string>;
  /** Zoho's per-field errors of a 422 (Common.json errorJson `errors`). */
  errors?: { fieldName: string; errorType: 'invalid' | 'missing' | 'duplicate'; errorMessage: string }[];
}

export interface EmulatorOptions extends Partial<EmulatorKnobs> {
  seed?: Seed;
  host?: string;
  port?: number;
  credentials?: { clientId: string; clientSecret: string; refreshToken: string };
}

/** The scopes a default access token carries: every scope the endpoint table needs. */
const allScopes: readonly string[] = requiredScopes;

export const defaultKnobs: Readonly<EmulatorKnobs> = {
  latencyMs: 0,
  concurrencyLimit: 25,
  dailyCredits: Number.POSITIVE_INFINITY,
  creditsUsed: 0,
  tokenLifetimeCalls: Number.POSITIVE_INFINITY,
  tokenLifetimeSeconds: 3600,
  maxIdsPerCall: Number.POSITIVE_INFINITY,
  errorRate: 0,
  dropRate: 0,
  faultSeed: 1,
  emptyPage: '204',
  scopes: [...allScopes],
  silentlyKeep: [],
  inject: [],
  labelIdsIn: 'body',
  errorsArray: 'with',
  nonMember: 'success',
  unknownUserInBatch: 'reject',
  removeScope: 'listed',
  namesRefused: 'first',
  orgMismatchStatus: 401,
  scopeError: 'SCOPE_MISMATCH-401',
  refreshThrottleAfter: Number.POSITIVE_INFINITY,
  refreshThrottleSeconds: 900,
  refreshThrottleLocale: 'en',
  apiDomain: 'https://www.zohoapis.com',
  creditHeaders: 'send',
  refreshRefusalStatus: 200,
  invalidTokenBody: 'json',
  tooLarge: 'size-exceeded',
};

/** Fresh knobs: the defaults (arrays copied, so one emulator's changes never leak into another's) with `options` over them. */
export function knobsFrom(options: Partial<EmulatorKnobs>): EmulatorKnobs {
  const knobs: EmulatorKnobs = { ...defaultKnobs, scopes: [...defaultKnobs.scopes], silentlyKeep: [], inject: [] };
  for (const key of Object.keys(defaultKnobs) as (keyof EmulatorKnobs)[]) {
    if (options[key] !== undefined) (knobs as unknown as Record<string, unknown>)[key] = options[key];
  }
  return knobs;
}
