/** The command line itself is wrong (unknown command, missing argument): exit code 2 and a hint. */
export class UsageError extends Error {
  /** Whether the command's help should follow the message (not for a missing key or URL). */
  readonly showHelp: boolean;

  constructor(message: string, options: { showHelp?: boolean } = {}) {
    super(message);
    this.name = 'UsageError';
    this.showHelp = options.showHelp ?? true;
  }
}
