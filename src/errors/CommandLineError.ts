import { UsageError } from './UsageError.js';

/**
 * The command line is malformed: an unknown flag, a missing argument, an option
 * value of the wrong form. Exit 2, and runCli.ts adds "Run `zdlabels --help` for usage."
 */
export class CommandLineError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'CommandLineError';
  }
}
