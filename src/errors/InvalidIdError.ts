import { ZdlabelsError } from './ZdlabelsError.js';

export class InvalidIdError extends ZdlabelsError {
  readonly field: string;
  readonly value: unknown;
  constructor(field: string, value: unknown) {
    super('INVALID_ID', `Expected \`${field}\` to be a Zoho ID of digits only, got ${JSON.stringify(value)} (${typeof value})`);
    this.name = 'InvalidIdError';
    this.field = field;
    this.value = value;
  }
}
