// Test helper: runs sklearn-reference.py through Debian's python3, which has numpy and scikit-learn.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./sklearn-reference.py', import.meta.url));

export const sklearnAvailable = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export interface ClassificationCase {
  kind: 'classification';
  labels: string[];
  actual: number[];
  predicted: number[];
  probabilities: number[];
  float32: boolean;
}

export interface RegressionCase {
  kind: 'regression';
  actual: number[];
  predicted: number[];
}

export interface SklearnClassification {
  accuracy: number;
  balancedAccuracy: number;
  logLoss: number;
  macroF1: number;
  weightedF1: number;
  rocAuc: number | null;
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  confusion: number[][];
}

export interface SklearnRegression {
  rmse: number;
  mae: number;
  r2: number;
  medianAbsoluteError: number;
}

/** One python run for all cases (importing sklearn takes most of a second). */
export function askSklearn<T>(cases: (ClassificationCase | RegressionCase)[]): T[] {
  // JSON numbers print the shortest round-tripping decimal, so float64 (and float32) values arrive exact.
  const output = execFileSync(PYTHON, [SCRIPT], { input: JSON.stringify(cases), maxBuffer: 64 << 20 });
  return JSON.parse(output.toString()) as T[];
}
