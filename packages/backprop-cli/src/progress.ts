import type { EpochReport, StepReport } from '@trainyard/backprop';

const BAR_WIDTH = 30;
/** Redraw the bar at most this often, so tiny steps do not flood the terminal. */
const REDRAW_MS = 100;

/** Progress on stderr: a redrawn bar plus a line per epoch on a terminal; one line per epoch otherwise (logs, pipes). */
export class Progress {
  private lastDraw = 0;
  private barShown = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  step(report: StepReport): void {
    if (!this.stream.isTTY) return;
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const fraction = report.step / report.totalSteps;
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
    this.stream.write(`\r${bar} ${(fraction * 100).toFixed(1)}%  epoch ${report.epoch}  step ${report.step}/${report.totalSteps}  loss ${report.loss.toFixed(4)}`);
    this.barShown = true;
  }

  epoch(report: EpochReport): void {
    const parts = [`epoch ${report.epoch}/${report.epochs}`, `loss ${report.loss.toFixed(4)}`];
    if (report.accuracy !== undefined) parts.push(`acc ${report.accuracy.toFixed(4)}`);
    if (report.valLoss !== undefined) parts.push(`val_loss ${report.valLoss.toFixed(4)}`);
    if (report.valAccuracy !== undefined) parts.push(`val_acc ${report.valAccuracy.toFixed(4)}`);
    parts.push(`${Math.round(report.samplesPerSecond)} samples/s`);
    this.clearBar();
    this.stream.write(`${parts.join('  ')}\n`);
  }

  /** Leaves the terminal on a clean line. */
  finish(): void {
    this.clearBar();
  }

  private clearBar(): void {
    if (!this.barShown) return;
    this.stream.write('\r\x1b[K');
    this.barShown = false;
  }
}
