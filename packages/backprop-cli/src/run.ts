import { DatasetError, TrainingError } from '@trainyard/backprop';
import { ConfigError } from '@trainyard/config';
import { CliError } from './cli-error.ts';
import { EXPORT_USAGE, exportModel } from './export-command.ts';
import { train, USAGE } from './train-command.ts';

/** Exit code for input the user can fix. */
const EXIT_BAD_INPUT = 2;

/** The `backprop` command on its arguments (without `node` and the script): the exit code; errors go to stderr as one line. */
export async function run(argv: string[]): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === 'train') return await train(rest);
    if (command === 'export') return exportModel(rest);
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${USAGE}\n\n${EXPORT_USAGE}\n`);
      return 0;
    }
    throw new CliError(`unknown command "${command}"; the commands are train and export (see backprop --help)`);
  } catch (error) {
    const known = error instanceof CliError || error instanceof DatasetError || error instanceof TrainingError || error instanceof ConfigError;
    const message = error instanceof Error ? error.message : String(error);
    // One line, whatever the message holds.
    process.stderr.write(`backprop: ${known ? '' : 'unexpected error: '}${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return known ? EXIT_BAD_INPUT : 1;
  }
}
