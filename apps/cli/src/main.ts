// Entry of the `trainyard` command (bin/trainyard.mjs).
import { endQuietlyWhenOutputCloses } from './closed-output.ts';
import { run } from './run.ts';

endQuietlyWhenOutputCloses([process.stdout, process.stderr]);

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stdin: process.stdin,
});
