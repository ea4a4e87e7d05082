import { ZdlabelsError } from './ZdlabelsError.js';

/** A file-level input problem: nothing is sent when one is raised. */
export class InputError extends ZdlabelsError {
  readonly file: string;
  readonly line: number | undefined;
  constructor(file: string, line: number | undefined, reason: string, options?: { cause?: unknown }) {
    super('INPUT', `${file}${line === undefined ? '' : `:${line}`}: ${reason}`, options);
    this.name = 'InputError';
    this.file = file;
    this.line = line;
  }
}
