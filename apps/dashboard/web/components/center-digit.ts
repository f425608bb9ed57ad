/** MNIST's side, and the box its digits are scaled into (LeCun et al.: 20×20 inside 28×28, centred by mass). */
export const MNIST_SIDE = 28;
const DIGIT_BOX = 20;
/** Ink below this counts as paper when finding the digit's bounding box. */
const INK_THRESHOLD = 0.05;

/**
 * Turns a drawing into an MNIST-like input: the ink's bounding box scaled so its longer side spans 20
 * pixels, its centre of mass at the centre of the 28×28 grid, intensities in [0, 1] (max = 1).
 * ink: width×height, row-major, 0 (paper) .. 1 (ink) → 784 values, row-major.
 */
export function centerDigit(ink: Float32Array, width: number, height: number): Float32Array {
  if (ink.length !== width * height) throw new Error(`ink has ${ink.length} values, expected ${width}×${height}`);
  const out = new Float32Array(MNIST_SIDE * MNIST_SIDE);
  let minX = width, minY = height, maxX = -1, maxY = -1;
  let mass = 0, sumX = 0, sumY = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = ink[y * width + x];
      if (value <= INK_THRESHOLD) continue;
      minX = Math.min(minX, x); maxX = Math.max(maxX, x);
      minY = Math.min(minY, y); maxY = Math.max(maxY, y);
      // Pixel centres at +0.5: the mass centre is in the same continuous coordinates as the box.
      mass += value; sumX += value * (x + 0.5); sumY += value * (y + 0.5);
    }
  }
  if (maxX < 0) return out; // nothing drawn
  const scale = DIGIT_BOX / Math.max(maxX - minX + 1, maxY - minY + 1); // output pixels per source pixel
  const centerX = sumX / mass, centerY = sumY / mass;
  const span = 1 / scale; // source pixels per output pixel
  let peak = 0;
  for (let row = 0; row < MNIST_SIDE; row++) {
    // Output pixel [row, row+1) covers source [y0, y0+span): the mass centre lands on the grid centre (14).
    const y0 = centerY + (row - MNIST_SIDE / 2) * span;
    for (let column = 0; column < MNIST_SIDE; column++) {
      const x0 = centerX + (column - MNIST_SIDE / 2) * span;
      const value = boxAverage(ink, width, height, x0, y0, span);
      out[row * MNIST_SIDE + column] = value;
      peak = Math.max(peak, value);
    }
  }
  if (peak > 0) for (let i = 0; i < out.length; i++) out[i] = Math.min(1, out[i] / peak);
  return out;
}

/** Mean ink over the square [x0, x0+span) × [y0, y0+span), each source pixel weighted by its overlap. */
function boxAverage(ink: Float32Array, width: number, height: number, x0: number, y0: number, span: number): number {
  const x1 = x0 + span, y1 = y0 + span;
  let total = 0;
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(height, Math.ceil(y1)); y++) {
    const overlapY = Math.min(y + 1, y1) - Math.max(y, y0);
    for (let x = Math.max(0, Math.floor(x0)); x < Math.min(width, Math.ceil(x1)); x++) {
      const overlapX = Math.min(x + 1, x1) - Math.max(x, x0);
      total += ink[y * width + x] * overlapX * overlapY;
    }
  }
  return total / (span * span);
}
