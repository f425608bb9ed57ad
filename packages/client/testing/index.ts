export { startService, type RunningService, type ServiceOptions } from './service.ts';
export { ServiceProcess, REPO_ROOT } from './service-process.ts';
export { readSafetensorsHeader, type TensorInfo } from './safetensors-header.ts';
