import { h } from '../dom.ts';
import { centerDigit, MNIST_SIDE } from './center-digit.ts';

const SIZE = 280;
const BRUSH = 20;
const PREVIEW_SCALE = 4;

/** A pad to draw a digit on with mouse, pen or finger; `pixels()` gives the 784 MNIST inputs. */
export class DigitCanvas {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private readonly preview: HTMLCanvasElement;
  private drawing = false;
  private last: { x: number; y: number } | null = null;

  constructor(private readonly onChange: () => void) {
    this.canvas = h('canvas', { width: SIZE, height: SIZE, class: 'digit-pad', 'aria-label': 'Draw a digit here' });
    this.context = this.canvas.getContext('2d', { willReadFrequently: true })!;
    this.preview = h('canvas', { width: MNIST_SIDE, height: MNIST_SIDE, class: 'digit-preview', title: 'What the model sees (28×28)' });
    this.preview.style.width = this.preview.style.height = `${MNIST_SIDE * PREVIEW_SCALE}px`;
    this.clear();
    this.canvas.addEventListener('pointerdown', (event) => this.start(event));
    this.canvas.addEventListener('pointermove', (event) => this.move(event));
    for (const type of ['pointerup', 'pointerleave', 'pointercancel']) this.canvas.addEventListener(type, () => this.stop());
    this.element = h(
      'div',
      { class: 'digit' },
      this.canvas,
      h('div', { class: 'digit-side' }, h('div', { class: 'muted' }, 'Model input'), this.preview, h('button', { type: 'button', class: 'secondary', onclick: () => this.clear() }, 'Clear')),
    );
  }

  clear(): void {
    this.context.fillStyle = '#000';
    this.context.fillRect(0, 0, SIZE, SIZE);
    this.renderPreview(new Float32Array(MNIST_SIDE * MNIST_SIDE));
    this.onChange();
  }

  /** The drawing as MNIST sees digits: white on black, 28×28, centred, in [0, 1]. */
  pixels(): Float32Array {
    const { data } = this.context.getImageData(0, 0, SIZE, SIZE);
    const ink = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < ink.length; i++) ink[i] = data[i * 4] / 255; // red channel of a grey drawing
    const pixels = centerDigit(ink, SIZE, SIZE);
    this.renderPreview(pixels);
    return pixels;
  }

  private start(event: PointerEvent): void {
    this.drawing = true;
    this.canvas.setPointerCapture(event.pointerId);
    this.last = this.point(event);
    this.stroke(this.last);
  }

  private move(event: PointerEvent): void {
    if (!this.drawing) return;
    this.stroke(this.point(event));
  }

  private stop(): void {
    if (!this.drawing) return;
    this.drawing = false;
    this.last = null;
    this.onChange();
  }

  private stroke(to: { x: number; y: number }): void {
    const from = this.last ?? to;
    this.context.strokeStyle = '#fff';
    this.context.lineWidth = BRUSH;
    this.context.lineCap = 'round';
    this.context.lineJoin = 'round';
    this.context.beginPath();
    this.context.moveTo(from.x, from.y);
    this.context.lineTo(to.x, to.y);
    this.context.stroke();
    this.last = to;
  }

  /** Pointer position in canvas pixels (the canvas may be drawn smaller than its 280 pixels). */
  private point(event: PointerEvent): { x: number; y: number } {
    const box = this.canvas.getBoundingClientRect();
    return { x: ((event.clientX - box.left) * SIZE) / box.width, y: ((event.clientY - box.top) * SIZE) / box.height };
  }

  private renderPreview(pixels: Float32Array): void {
    const context = this.preview.getContext('2d')!;
    const image = context.createImageData(MNIST_SIDE, MNIST_SIDE);
    pixels.forEach((value, i) => {
      const grey = Math.round(value * 255);
      image.data.set([grey, grey, grey, 255], i * 4);
    });
    context.putImageData(image, 0, 0);
  }
}
