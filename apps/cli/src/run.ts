import { parseArgs } from 'node:util';
import { ApiRequestError, ConnectionError } from '@trainyard/client';
import { CommandContext, DEFAULT_URL, type Command, type Io } from './command.ts';
import { datasetsGet, datasetsList, datasetsUpload } from './commands/datasets.ts';
import { jobsCancel, jobsGet, jobsList, jobsSubmit, jobsWatch } from './commands/jobs.ts';
import { jobsEvaluate } from './commands/evaluate.ts';
import { jobsLogs } from './commands/logs.ts';
import { predict } from './commands/predict.ts';
import { jobsReplay } from './commands/replay.ts';
import { sweepsCancel, sweepsGet, sweepsList, sweepsSubmit, sweepsTrials } from './commands/sweeps.ts';
import { weightsDownload } from './commands/weights.ts';
import { describeDetail } from './error-details.ts';
import { UsageError } from './usage-error.ts';

export const COMMANDS: Command[] = [
  datasetsUpload,
  datasetsList,
  datasetsGet,
  jobsSubmit,
  jobsList,
  jobsGet,
  jobsWatch,
  jobsCancel,
  jobsReplay,
  jobsLogs,
  jobsEvaluate,
  sweepsSubmit,
  sweepsList,
  sweepsGet,
  sweepsTrials,
  sweepsCancel,
  weightsDownload,
  predict,
];

const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const GLOBAL_HELP: [string, string][] = [
  ['--url <url>', `the service (default $TRAINYARD_URL, else ${DEFAULT_URL})`],
  ['--api-key <key>', 'default $TRAINYARD_API_KEY'],
  ['--json', 'machine-readable output'],
  ['-h, --help', 'this help'],
];

/** Runs one command line; resolves with the exit code (0 ok, 1 failed, 2 usage, 130 interrupted). */
export async function run(argv: string[], io: Io): Promise<number> {
  const command = COMMANDS.find((candidate) => candidate.path.every((word, index) => argv[index] === word));
  if (command === undefined) {
    const wantsHelp = argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h';
    (wantsHelp ? io.stdout : io.stderr).write(`${wantsHelp ? '' : `unknown command: ${argv.join(' ')}\n\n`}${overview()}\n`);
    return wantsHelp ? 0 : 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: argv.slice(command.path.length),
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.stdout.write(`${commandHelp(command)}\n`);
      return 0;
    }
    const code = await command.run(new CommandContext(io, positionals, values));
    return code ?? 0;
  } catch (error) {
    return report(error, command, io);
  }
}

function report(error: unknown, command: Command, io: Io): number {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    const help = !(error instanceof UsageError) || error.showHelp ? `\n${commandHelp(command)}\n` : '';
    io.stderr.write(`error: ${(error as Error).message}\n${help}`);
    return 2;
  }
  if (error instanceof ApiRequestError) {
    io.stderr.write(`error: ${error.message} (${error.code}, HTTP ${error.status})\n`);
    for (const detail of error.details) io.stderr.write(`  ${describeDetail(detail)}\n`);
    return 1;
  }
  if (error instanceof ConnectionError) {
    io.stderr.write(`error: ${error.message}\n(is the service running? set --url or TRAINYARD_URL)\n`);
    return 1;
  }
  io.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => usageOf(command).length));
  return [
    'trainyard: command-line client of the Trainyard API',
    '',
    'Usage: trainyard <command> [options]',
    '',
    ...COMMANDS.map((command) => `  ${usageOf(command).padEnd(width)}  ${command.summary}`),
    '',
    'Options of every command:',
    ...optionLines(GLOBAL_HELP),
    '',
    'trainyard <command> --help shows its options.',
  ].join('\n');
}

function commandHelp(command: Command): string {
  return [`Usage: trainyard ${usageOf(command)} [options]`, '', command.summary, '', 'Options:', ...optionLines([...(command.help ?? []), ...GLOBAL_HELP])].join('\n');
}

function optionLines(options: [string, string][]): string[] {
  const width = Math.max(...options.map(([flags]) => flags.length));
  return options.map(([flags, meaning]) => `  ${flags.padEnd(width)}  ${meaning}`);
}

const usageOf = (command: Command) => [...command.path, command.args].filter(Boolean).join(' ');
