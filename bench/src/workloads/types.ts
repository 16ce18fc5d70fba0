/** What a workload module exports: its problem, loss, tolerance and one entry per library. */
import type { Trainer } from '../harness.js';

/** The implementations every workload module may export. */
export type ImplName =
  | 'annlab'
  /** annlab on WebGPU waiting like the peers: polling Dawn all the time (sleepWhileWaiting off). */
  | 'annlabPolling'
  /** annlab through `fit` with `dtype: 'float32'` (the f32x4 WebAssembly kernel). */
  | 'annlabF32'
  /** annlab through `fit` in float64 on the CPU (W5, whose `annlab` row is WebGPU). */
  | 'annlabCpu'
  /** annlab's float32 gradients on every core (`createGradientPool`). */
  | 'annlabThreads'
  | 'hand'
  /** annlab's `fit` with its defaults (no `shuffle` option: a keyed shuffle each epoch). */
  | 'annlabDefaults'
  /** The hand-written loop reshuffling each epoch with its own Fisher–Yates. */
  | 'handShuffled'
  | 'tfjsCpu'
  | 'tfjsWasm'
  | 'tfjsWebgpu'
  | 'jaxWasm'
  | 'jaxWebgpu';

/** Epoch counts for the full run and for `--quick`. */
export interface Epochs {
  full: number;
  quick: number;
}

/** One library on one backend. */
export interface Impl {
  /** 'annlab', 'hand-written', 'TF.js', 'jax-js'. */
  library: string;
  /** Backend and precision, e.g. 'cpu f64', 'wasm f32', 'webgpu f32'. */
  backend: string;
  /** Builds the trainer (setting up the backend first), or says why it cannot run. */
  create(): Promise<Trainer | string>;
  /** Epochs per timed run when shorter than the workload's (the time is then extrapolated). */
  epochs?: Epochs;
  /** Epochs of the warm-up run (default: the timed epochs). */
  warmupEpochs?: number;
  /** At most this many timed runs (for peers that take minutes per step). */
  maxRuns?: number;
  /** Time budget per timed run, ms, in full and quick mode (see `measure`). */
  budgetMs?: Epochs;
  /**
   * The float64 reference of an entry that draws its own sample orders (default: the workload's,
   * on the shared orders).
   */
  reference?: () => Trainer;
}

/** A training workload (W1–W5). */
export interface TrainingWorkload {
  id: string;
  title: string;
  /** Epochs of the workload as defined, and in `--quick` mode. */
  epochs: Epochs;
  /** Optimizer updates per epoch (for updates/s). */
  updatesPerEpoch: number;
  /** Losses are compared after at most this many epochs (W3: 250); default: the timed epochs. */
  checkEpochs?: Epochs;
  /** Tolerance of |loss − reference| ≤ atol + rtol·|reference| for float32 libraries. */
  tolerance: { rtol: number; atol: number };
  /** How the loss is defined, for the table. */
  lossLabel: string;
  /** The losses of parameters in the workload's layout, in float64. */
  losses(params: Float64Array[]): number[];
  /** The float64 hand-written reference trainer. */
  reference(): Trainer;
  /** Implementations in table order. */
  impls: Partial<Record<ImplName, Impl>>;
}
