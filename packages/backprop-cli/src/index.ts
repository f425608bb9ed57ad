export { run } from './run.ts';
export { USAGE } from './train-command.ts';
