/**
 * Aisle's own small neural-network module: kernels (reference TypeScript, and WebAssembly SIMD where it runs),
 * an MLP over one flat parameter vector, Adam, and the losses DQN and PPO need.
 */
export { Arena, ARENA_ALIGN_FLOATS } from './arena';
export { jsKernels, type In, type Kernels } from './kernels';
export { defaultKernels, simdKernels, simdUnavailableReason } from './simd';
export { Mlp, parameterCount, type Activation, type Layer, type MlpOptions, type MlpSpec } from './mlp';
export { Adam, clipGradNorm, type AdamOptions, type Trainable } from './adam';
export {
  entropy, entropyBackward, huberSelected, logSoftmax, logSoftmaxBackward, mseSelected, selectedLogProb,
  selectedLogProbBackward, valueMse, type Actions,
} from './losses';
