export interface DatasetIssue {
  /** 1-based data row (the header is row 0 for CSV). */
  row?: number;
  column?: string;
  message: string;
  /** How many cells or rows share this problem (a summary entry); `examples` lists some of their rows. */
  count?: number;
  examples?: number[];
}

/**
 * An upload that cannot become a dataset. `malformed_dataset` (HTTP 400): the file cannot be read as CSV/JSON;
 * `invalid_dataset` (HTTP 422): it can be read but does not make a dataset (non-numeric feature, unknown target…).
 */
export class DatasetError extends Error {
  constructor(
    readonly code: 'malformed_dataset' | 'invalid_dataset',
    message: string,
    readonly details: DatasetIssue[] = [],
  ) {
    super(message);
    this.name = 'DatasetError';
  }
}
