import { ZdlabelsError } from './ZdlabelsError.js';

/** Raised before any I/O for a call that is not in the endpoint table. */
export class EndpointNotAllowedError extends ZdlabelsError {
  readonly method: string;
  readonly path: string;
  constructor(method: string, path: string) {
    super(
      'ENDPOINT_NOT_ALLOWED',
      `Refused ${method} ${path}: zdlabels only makes the calls in its endpoint table (it never deletes labels and never touches badges).`,
    );
    this.name = 'EndpointNotAllowedError';
    this.method = method;
    this.path = path;
  }
}
