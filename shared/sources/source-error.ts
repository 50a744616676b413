// The error every source failure is reported as: where (the source's label) and what went wrong.
export class SourceError extends Error {
  readonly location: string;
  constructor(location: string, message: string) {
    super(`${location}: ${message}`);
    this.name = 'SourceError';
    this.location = location;
  }
}
