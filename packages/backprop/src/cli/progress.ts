import type { EpochReport, StepReport } from '../trainer.ts';

const BAR_WIDTH = 30;

/** Progress on stderr: a redrawn bar on a terminal, one line per epoch otherwise. */
export class Progress {
  private lastDraw = 0;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  step(report: StepReport): void {
    if (!this.stream.isTTY) return;
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const fraction = report.step / report.totalSteps;
    const filled = Math.round(fraction * BAR_WIDTH);
    this.stream.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${(fraction * 100).toFixed(1)}% epoch ${report.epoch} loss ${report.loss.toFixed(4)}`,
    );
  }

  epoch(report: EpochReport): void {
    const parts = [`epoch ${report.epoch}/${report.epochs}`, `loss ${report.loss.toFixed(4)}`];
    if (report.accuracy !== undefined) parts.push(`acc ${report.accuracy.toFixed(4)}`);
    if (report.valLoss !== undefined) parts.push(`val_loss ${report.valLoss.toFixed(4)}`);
    if (report.valAccuracy !== undefined) parts.push(`val_acc ${report.valAccuracy.toFixed(4)}`);
    parts.push(`${Math.round(report.samplesPerSecond)} samples/s`);
    this.stream.write(`${this.stream.isTTY ? '\r\x1b[K' : ''}${parts.join('  ')}\n`);
  }
}
