/**
 * Typed wrapper of the small-MLPs kernel: compiles the train and loss variants of one spec.
 */
import type { MlpSpec } from '@annlab/core';
import type { Gpu } from '../../device.js';
import type { CompiledKernel } from '../../pipelineCache.js';
import type { GpuLossName } from '../loss/loss.wgsl.js';
import type { GpuOptimizerName } from '../optimizer/optimizer.wgsl.js';
import { makeSmallMlpsShader, type SmallMlpsVariant, smallMlpsKey } from './smallMlps.wgsl.js';

/** The train and loss pipelines of `spec` (validated by the caller) for a loss and an optimizer. */
export async function smallMlpsKernels(
  gpu: Gpu,
  spec: MlpSpec,
  loss: GpuLossName,
  optimizer: GpuOptimizerName,
  unroll?: boolean,
): Promise<{ train: CompiledKernel; loss: CompiledKernel }> {
  const get = (mode: SmallMlpsVariant['mode']) => {
    const variant: SmallMlpsVariant = { loss, optimizer, mode, unroll };
    return gpu.pipelines.get(smallMlpsKey(spec, variant), () => makeSmallMlpsShader(spec, variant));
  };
  const [train, lossKernel] = await Promise.all([get('train'), get('loss')]);
  return { train, loss: lossKernel };
}
