import { shorten } from './shorten.js';
import { ZdlabelsError } from './ZdlabelsError.js';

export class InvalidIdError extends ZdlabelsError {
  readonly field: string;
  readonly value: unknown;
  constructor(field: string, value: unknown) {
    super(
      'INVALID_ID',
      `Expected \`${field}\` to be a Zoho ID (a string of 1-19 digits, no leading zero, at most 9223372036854775807), got ${shorten(JSON.stringify(value) ?? String(value))} (${typeof value})`,
    );
    this.name = 'InvalidIdError';
    this.field = field;
    this.value = value;
  }
}
