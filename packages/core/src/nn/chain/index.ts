export {
  type ChainForward,
  type ChainGradient,
  type ChainGradientMethod,
  type ChainGradientOptions,
  type ChainJacobian,
  type ChainWorkspace,
  chainBackpropInto,
  chainForward,
  chainGradient,
  chainJacobian,
  createChainWorkspace,
} from './chain.js';
export { initChain } from './init.js';
export {
  type ChainActivation,
  type ChainParams,
  chainParams,
  defaultChainActivations,
} from './params.js';
