/** Bad input on the command line (a spec, a file, a flag the user can fix): printed as one line, exit code 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
}
