export type Task = 'classification' | 'regression';

/**
 * A dataset in the engine's terms. x: rows×features (row-major);
 * y: rows entries, the class index (classification) or the target value (regression).
 */
export interface Dataset {
  task: Task;
  features: string[];
  target: string;
  rows: number;
  x: Float32Array;
  y: Float32Array;
  /** Class labels in index order (classification only). */
  classes?: string[];
}
