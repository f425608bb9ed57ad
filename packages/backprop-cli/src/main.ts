// The `backprop` executable (bin/backprop.mjs): argv in, exit code out.
import { run } from './run.ts';

process.exitCode = await run(process.argv.slice(2));
