import { ZdlabelsError } from './ZdlabelsError.js';

export class UsageError extends ZdlabelsError {
  constructor(message: string) {
    super('USAGE', message);
    this.name = 'UsageError';
  }
}
