/** Builds the peer entries (hand-written, TF.js, jax-js) shared by the workload modules. */

import type { Trainer } from '../harness.js';
import { type JaxDevice, jaxChainTrainer, jaxMlpTrainer, useJaxDevice } from '../peers/jax.js';
import { type TfBackend, tfChainTrainer, tfMlpTrainer, useTfBackend } from '../peers/tfjs.js';
import { setupWebGpu } from '../webgpu.js';
import type { Epochs, Impl } from './types.js';

/** The hand-written float64 loop. */
export function handImpl(make: () => Trainer): Impl {
  return { library: 'hand-written', backend: 'JS f64', create: async () => make() };
}

/**
 * The hand-written loop with its own Fisher–Yates each epoch (the "fit defaults" comparison). Its
 * orders are its own, so its reference is the same loop again (seeded: the same orders).
 */
export function shuffledImpl(make: () => Trainer): Impl {
  return {
    library: 'hand-written',
    backend: 'JS f64 (own Fisher–Yates each epoch)',
    create: async () => make(),
    reference: make,
  };
}

async function gpuReady(): Promise<string | null> {
  const { info, reason } = await setupWebGpu();
  return info ? null : reason;
}

/** A TF.js entry on `backend`, built by `make` after the backend is active. */
export function tfImpl(
  backend: TfBackend,
  make: () => Trainer,
  epochs?: Epochs,
  warmupEpochs?: number,
): Impl {
  return {
    library: 'TF.js 4.22',
    backend: `${backend} f32`,
    async create() {
      if (backend === 'webgpu') {
        const why = await gpuReady();
        if (why) return why;
      }
      const why = await useTfBackend(backend);
      return why ?? make();
    },
    ...(epochs ? { epochs } : {}),
    ...(warmupEpochs !== undefined ? { warmupEpochs } : {}),
  };
}

/** A jax-js entry on `device`, built by `make` after the device is the default. */
export function jaxImpl(
  device: JaxDevice,
  make: () => Trainer,
  epochs?: Epochs,
  warmupEpochs?: number,
): Impl {
  return {
    library: 'jax-js 0.1.25',
    backend: `${device} f32`,
    async create() {
      if (device === 'webgpu') {
        const why = await gpuReady();
        if (why) return why;
      }
      const why = await useJaxDevice(device);
      return why ?? make();
    },
    ...(epochs ? { epochs } : {}),
    ...(warmupEpochs !== undefined ? { warmupEpochs } : {}),
  };
}

export { jaxChainTrainer, jaxMlpTrainer, tfChainTrainer, tfMlpTrainer };
