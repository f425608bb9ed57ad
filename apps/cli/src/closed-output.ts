/**
 * `trainyard jobs logs job_… | head`: once the reader has what it wants it closes the pipe, and the next
 * write fails with EPIPE. That is how a pipeline ends, not a failure: the command stops at once, quietly,
 * with exit code 0, whichever command it was and wherever it was writing (stdout or stderr).
 */
export function endQuietlyWhenOutputCloses(
  streams: NodeJS.WritableStream[],
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') return exit(0);
      throw error;
    });
  }
}
