export { type InitMlpOptions, initMlp, type MlpInit } from './init.js';
export { LOSS_NAMES, type Loss, type LossName, loss, softmaxCrossEntropy } from './loss.js';
export {
  createMlpWorkspace,
  type MlpDtype,
  type MlpWorkspace,
  mlpBackward,
  mlpForward,
  mlpPredict,
  mlpValueAndGradient,
} from './mlp.js';
export { neuron, neuronBatch } from './neuron.js';
export {
  type MlpLayerLayout,
  type MlpLayout,
  type MlpSpec,
  mlpLayout,
  mlpSpec,
} from './spec.js';
export { type MlpTriangularGradient, mlpGradientTriangular } from './triangular.js';
export { type DenseF32Kernel, denseF32Kernel } from './wasmF32.js';
