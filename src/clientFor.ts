import type { Io } from './io.js';
import { loggerFor, type Logger } from './log.js';
import { ZohoClient } from './zoho/client.js';
import { configFromEnv, type EnvNames } from './zoho/config.js';
import { CreditMeter, type CreditLimits } from './zoho/credits.js';

export interface ClientOptions extends CreditLimits {
  verbose: boolean;
  timeoutMs?: number | undefined;
  /** Where the credentials are when not the default ZOHO_* names (job files). */
  envNames?: Partial<EnvNames> | undefined;
}

/** A client from the environment, with the run's credit limits, logging calls (with --verbose) and token refreshes. */
export function clientFor(io: Io, options: ClientOptions, log: Logger = loggerFor(io, options.verbose)): ZohoClient {
  const config = configFromEnv(io.env, options.envNames ? { names: options.envNames } : {});
  return new ZohoClient({
    config,
    meter: new CreditMeter({ reserveCredits: options.reserveCredits, maxCalls: options.maxCalls }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    onCall: options.verbose
      ? (e) =>
          log.event('call', { method: e.method, path: e.path, status: e.status, errorCode: e.errorCode, ms: Math.round(e.ms), ids: e.ids, remaining: e.remaining }, {
            line: `${e.method} ${e.path} ${e.status ?? e.errorCode ?? '-'} ${Math.round(e.ms)}ms${e.ids.length ? ` ids=${e.ids.join(',')}` : ''}`,
          })
      : undefined,
    onTokenRefresh: () => log.event('token_refresh', {}),
  });
}
