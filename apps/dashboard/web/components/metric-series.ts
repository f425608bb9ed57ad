import type { MetricPoint } from '@trainyard/client';

/** The metrics a chart can draw, besides the x axis. */
export const SERIES_KEYS = ['loss', 'valLoss', 'accuracy', 'valAccuracy', 'rmse', 'valRmse', 'r2', 'valR2'] as const;
export type SeriesKey = (typeof SERIES_KEYS)[number];

type Point = Pick<MetricPoint, 'epoch' | 'step'> & Partial<Pick<MetricPoint, SeriesKey>> & { loss: number };

/** Columns for uPlot: x, then one array per series, null where a point lacks that metric. */
export type Columns = { x: number[] } & Record<SeriesKey, (number | null)[]>;

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

  /** Classification jobs: accuracy points. */
  get hasAccuracy(): boolean {
    return this.has('accuracy', 'valAccuracy');
  }

  /** Regression jobs: RMSE and R² points. */
  get hasRegression(): boolean {
    return this.has('rmse', 'valRmse', 'r2', 'valR2');
  }

  upsert(point: Point): void {
    this.points.set(point.step, point);
    this.sorted = null;
  }

  /** x is in epochs: the step count scaled by steps per epoch (fractional for points inside an epoch). */
  columns(stepsPerEpoch: number | null): Columns {
    this.sorted ??= [...this.points.values()].sort((a, b) => a.step - b.step);
    const columns: Columns = { x: [], loss: [], valLoss: [], accuracy: [], valAccuracy: [], rmse: [], valRmse: [], r2: [], valR2: [] };
    for (const point of this.sorted) {
      columns.x.push(stepsPerEpoch ? point.step / stepsPerEpoch : point.epoch);
      for (const key of SERIES_KEYS) columns[key].push(point[key] ?? null);
    }
    return columns;
  }

  private has(...keys: SeriesKey[]): boolean {
    for (const point of this.points.values()) if (keys.some((key) => point[key] !== undefined)) return true;
    return false;
  }
}
