export { run, COMMANDS } from './run.ts';
export type { Io } from './command.ts';
