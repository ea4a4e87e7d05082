// fast-check arbitraries shared by the property tests.
import fc from 'fast-check';
import { statuses } from '../../src/rows/types.js';

/** Every seed of the property tests: a failure replays the same way on every machine. */
export const SEED = 13;

/** Characters that break naive CSV, JSON-lines and spreadsheet handling, mixed with any code point. */
const awkward = fc.constantFrom(',', '"', "'", '\n', '\r', '\r\n', '\t', '=', '+', '-', '@', '\\', ' ', '\u2028', '\u0000', '\ufeff', 'é', '日本', '😀');

/** Any text, biased towards the awkward characters. */
export const text = (maxLength = 12): fc.Arbitrary<string> => fc.string({ unit: fc.oneof(awkward, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength });

export const status = fc.constantFrom(...statuses);
