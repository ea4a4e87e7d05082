// The answers the emulator gives, in Zoho's shapes (Common.json errorJson).
import { isDigits } from './ids.js';
import type { EmulatorKnobs } from './knobs.js';

export interface Answer {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /** A body that is not JSON (a proxy's HTML page), sent as text/html. */
  html?: string;
  headers?: Record<string, string>;
}

export type ErrorType = 'invalid' | 'missing' | 'duplicate';

export const error = (status: number, errorCode: string, message: string, extra: Record<string, unknown> = {}): Answer => ({
  status,
  body: { errorCode, message, ...extra },
});

export const urlNotFound = (): Answer => error(404, 'URL_NOT_FOUND', 'The URL you requested could not be found');

/** Zoho's words for removing a user from a label they do not hold (when it refuses that). */
export const NOT_ASSOCIATED = 'The user is not associated with the label.';

/** The message of an expired, forged or otherwise refused access token. */
export const INVALID_OAUTH_MESSAGE = 'The OAuth Token you provided is invalid.';

/** What the field is called in words: `/userIds/3` → `userIds` (never the index, never an ID). */
const fieldWord = (fieldName: string): string => fieldName.split('/').filter((s) => s !== '' && !isDigits(s)).join('.') || 'the request';

function inWords(fieldName: string, errorType: ErrorType): string {
  const field = fieldWord(fieldName);
  if (errorType === 'missing') return `The request is missing ${field}.`;
  if (errorType === 'duplicate') return `The request gives a value of ${field} twice.`;
  return `The request holds a value of ${field} that is not valid.`;
}

/**
 * A 422 for a problem with one field, shaped per `errorsArray`: `with` is the
 * spec's INVALID_DATA naming the field; `without` is the UNPROCESSABLE_ENTITY
 * seen in the wild, whose message is words only (never an ID's digits).
 */
export function invalid(
  knobs: Pick<EmulatorKnobs, 'errorsArray'>,
  fieldName: string,
  errorType: ErrorType,
  errorMessage: string,
  words: string = inWords(fieldName, errorType),
): Answer {
  if (knobs.errorsArray === 'without') return error(422, 'UNPROCESSABLE_ENTITY', words);
  return error(422, 'INVALID_DATA', 'The data does not comply to the validation restrictions defined.', {
    errors: [{ fieldName, errorType, errorMessage }],
  });
}

/** A write with too many IDs, shaped per `tooLarge` (whatever `errorsArray` says). */
export function tooMany(knobs: Pick<EmulatorKnobs, 'tooLarge'>, key: string, max: number): Answer {
  const words = `The number of ${key} exceeds the maximum of ${max}.`;
  switch (knobs.tooLarge) {
    case 'size-exceeded':
      return error(422, 'RESOURCE_SIZE_EXCEEDED', words);
    case '413':
      return error(413, 'RESOURCE_SIZE_EXCEEDED', words);
    case '413-html':
      return { status: 413, html: '<html><head><title>413 Request Entity Too Large</title></head><body><h1>Request Entity Too Large</h1></body></html>' };
    case '413-empty':
      return { status: 413 };
    case '422-words':
      return error(422, 'UNPROCESSABLE_ENTITY', words);
    case '422-bare':
      return error(422, 'UNPROCESSABLE_ENTITY', 'The request cannot be processed.');
    case '422-empty':
      return { status: 422 };
  }
}
