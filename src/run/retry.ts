import pRetry from 'p-retry';
import { ZohoApiError } from '../errors/ZohoApiError.js';

/**
 * Retries a read that failed for a passing reason (5xx, dropped connection,
 * timeout, 429), with exponential backoff and jitter. Writes go through the
 * executor instead, which also shares backoff across workers.
 */
export function retryRead<T>(read: () => Promise<T>, retries = 5): Promise<T> {
  return pRetry(read, {
    retries,
    minTimeout: 200,
    maxTimeout: 10_000,
    randomize: true,
    shouldRetry: ({ error }) => error instanceof ZohoApiError && error.kind === 'retryable',
  });
}
