export { run } from './run.ts';
export { USAGE } from './train-command.ts';
export { EXPORT_USAGE } from './export-command.ts';
