import { ZdlabelsError } from './ZdlabelsError.js';

/**
 * A value the user gave (an option, a job key) that cannot be used, although the
 * command line itself is well formed: `--label` names no label, `--out` is the
 * input. Exit 2, without the "see --help" hint, which would not help.
 * For a malformed command line, raise its subclass CommandLineError.
 */
export class UsageError extends ZdlabelsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('USAGE', message, options);
    this.name = 'UsageError';
  }
}
