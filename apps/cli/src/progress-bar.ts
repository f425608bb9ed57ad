import { formatDuration, formatNumber, formatPercent } from './table.ts';

export interface ProgressView {
  status: string;
  epoch: number;
  epochs: number;
  /** 0..1 */
  fraction: number;
  loss?: number;
  valLoss?: number;
  accuracy?: number;
  valAccuracy?: number;
  /** null until it can be estimated. */
  etaSeconds: number | null;
}

const FILLED = '█';
const EMPTY = '░';

/** `running  epoch  12/100 ████░░░░  12.0%  loss 0.4123  val_loss 0.4521  acc 91.2%  ETA 0:14` */
export function renderProgress(view: ProgressView, barWidth = 24): string {
  const fraction = Math.min(1, Math.max(0, view.fraction));
  const filled = Math.round(fraction * barWidth);
  const digits = String(view.epochs).length;
  const parts = [
    view.status.padEnd(9),
    `epoch ${String(view.epoch).padStart(digits)}/${view.epochs}`,
    `${FILLED.repeat(filled)}${EMPTY.repeat(barWidth - filled)}`,
    `${(fraction * 100).toFixed(1).padStart(5)}%`,
  ];
  if (view.loss !== undefined) parts.push(`loss ${formatNumber(view.loss)}`);
  if (view.valLoss !== undefined) parts.push(`val_loss ${formatNumber(view.valLoss)}`);
  if (view.accuracy !== undefined) parts.push(`acc ${formatPercent(view.accuracy)}`);
  if (view.valAccuracy !== undefined) parts.push(`val_acc ${formatPercent(view.valAccuracy)}`);
  parts.push(`ETA ${view.etaSeconds === null ? '--:--' : formatDuration(view.etaSeconds)}`);
  return parts.join('  ');
}

/**
 * Time left, from the rate of progress seen since the first observation (so time spent queued does not
 * count). null until progress has moved.
 */
export class EtaEstimator {
  private start: { fraction: number; at: number } | null = null;

  observe(fraction: number, atMs: number): number | null {
    if (this.start === null) {
      this.start = { fraction, at: atMs };
      return null;
    }
    const done = fraction - this.start.fraction;
    const elapsed = (atMs - this.start.at) / 1000;
    if (done <= 0 || elapsed <= 0) return null;
    return ((1 - fraction) * elapsed) / done;
  }
}
