/** Weights whose metadata cannot become an ONNX graph (e.g. a feature column named like an output); the message says which part. */
export class OnnxExportError extends Error {
  readonly code = 'malformed_weights';
  constructor(message: string) {
    super(message);
    this.name = 'OnnxExportError';
  }
}
