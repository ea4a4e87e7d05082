import { ZdlabelsError } from './ZdlabelsError.js';

/** A missing or malformed setting. `variable` names the environment variable or option. */
export class ConfigError extends ZdlabelsError {
  readonly variable: string;
  constructor(variable: string, message: string, options?: { cause?: unknown }) {
    super('CONFIG', `${variable}: ${message}`, options);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}
