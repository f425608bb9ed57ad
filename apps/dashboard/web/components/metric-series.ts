import type { MetricPoint } from '@trainyard/client';

type Point = Pick<MetricPoint, 'epoch' | 'step' | 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy'>;

/** Columns for uPlot: x, then one array per series, null where a point lacks that metric. */
export interface Columns {
  x: number[];
  loss: (number | null)[];
  valLoss: (number | null)[];
  accuracy: (number | null)[];
  valAccuracy: (number | null)[];
}

/**
 * A job's metric points keyed by step: a point for a step already seen replaces it (an epoch re-run after
 * a resume), so replays and polling can deliver the same point twice.
 */
export class MetricSeries {
  private readonly points = new Map<number, Point>();
  private sorted: Point[] | null = [];

  get size(): number {
    return this.points.size;
  }

  get hasAccuracy(): boolean {
    for (const point of this.points.values()) if (point.accuracy !== undefined || point.valAccuracy !== undefined) return true;
    return false;
  }

  upsert(point: Point): void {
    this.points.set(point.step, point);
    this.sorted = null;
  }

  /** x is in epochs: the step count scaled by steps per epoch (fractional for points inside an epoch). */
  columns(stepsPerEpoch: number | null): Columns {
    this.sorted ??= [...this.points.values()].sort((a, b) => a.step - b.step);
    const columns: Columns = { x: [], loss: [], valLoss: [], accuracy: [], valAccuracy: [] };
    for (const point of this.sorted) {
      columns.x.push(stepsPerEpoch ? point.step / stepsPerEpoch : point.epoch);
      columns.loss.push(point.loss);
      columns.valLoss.push(point.valLoss ?? null);
      columns.accuracy.push(point.accuracy ?? null);
      columns.valAccuracy.push(point.valAccuracy ?? null);
    }
    return columns;
  }
}
