import { writeFile } from 'node:fs/promises';
import type { Command } from '../command.ts';
import { UsageError } from '../usage-error.ts';

export const weightsDownload: Command = {
  path: ['weights', 'download'],
  args: '<job>',
  summary: "Download a job's weights (safetensors, JSON, or an ONNX model with the preprocessing inside)",
  options: {
    format: { type: 'string' },
    which: { type: 'string' },
    snapshot: { type: 'string' },
    output: { type: 'string', short: 'o' },
  },
  help: [
    ['--format <format>', 'safetensors (default) | json | onnx (raw columns in, outputs and label out)'],
    ['--which <which>', 'final (default) | best'],
    ['--snapshot <id>', 'a given snapshot of the job instead'],
    ['-o, --output <file>', 'default: <job>.safetensors, <job>.json or <job>.onnx; "-" writes to stdout'],
  ],
  async run(context) {
    const jobId = context.arg(0, 'the job id');
    const format = context.choice('format', ['safetensors', 'json', 'onnx'] as const) ?? 'safetensors';
    const which = context.choice('which', ['final', 'best'] as const);
    const snapshot = context.string('snapshot');
    if (snapshot !== undefined && which !== undefined) throw new UsageError('give --snapshot or --which, not both');
    const client = context.client();
    if (snapshot !== undefined) {
      // Say so if the snapshot is not this job's, rather than silently downloading another job's weights.
      const page = await client.listSnapshots(jobId, { limit: 100 });
      if (!page.data.some((item) => item.id === snapshot) && !page.hasMore) throw new UsageError(`${snapshot} is not a snapshot of ${jobId}`);
    }
    const bytes = snapshot !== undefined ? await client.snapshotWeights(snapshot, format) : await client.jobWeights(jobId, { format, which });
    const output = context.string('output') ?? `${jobId}.${format}`;
    if (output === '-') {
      context.io.stdout.write(bytes);
      return;
    }
    await writeFile(output, bytes);
    context.note(`wrote ${output} (${bytes.length} bytes)`);
  },
};
