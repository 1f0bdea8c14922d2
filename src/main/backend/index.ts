/** Compute backend selection and the wasm training kernels. */
export { selectBackend, formatBackendReport } from './select';
export type { SelectBackendOptions } from './select';
export { BackendError } from './errors';
export { polyfillNodeUtil } from './node-util-polyfill';
export { missingCudaLibraries, CUDA_LIBRARIES, CUDA_MISSING_REASON } from './cuda';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './wasm/register';
export { installLazyFusedGradients } from './wasm/lazy-fused-gradients';
export { computeInfo } from './compute-info';
export type { ComputeInfo } from './compute-info';
