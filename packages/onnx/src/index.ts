export { exportOnnx, OUTPUTS, LABEL } from './export-onnx.ts';
export { MATRIX_INPUT } from './encoded-inputs.ts';
export { OnnxExportError } from './onnx-export-error.ts';
