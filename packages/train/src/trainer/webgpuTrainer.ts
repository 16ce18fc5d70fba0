/**
 * The WebGPU trainer behind `createTrainer(model, data, { backend: webgpuBackend })`: the same
 * {@link Trainer} interface and the same epoch records as on the CPU (`loop.ts`'s `endEpoch`:
 * history, validation loss in float64 on the CPU, progress, early stopping), with the updates run
 * by a device trainer (`@annlab/gpu`'s, injected through the backend) created on the first `run()`
 * and kept until `dispose()`, so that a paused run continues with the device's optimizer state.
 *
 * Steps of one chunk of {@link WebGpuTrainer.run}:
 * 1. Keep the parameters as the last good ones.
 * 2. Submit the chunk's updates (a schedule sets the device's rate before each run of updates that
 *    share a rate); a chunk is one epoch with validation, early stopping or gradient norms,
 *    otherwise up to the next multiple of `progressEvery`.
 * 3. Read back the loss of the last batch (scaled to the epoch's units) and the parameters; if one
 *    is not finite, put the last good parameters back and throw a `DivergenceError`.
 * 4. With `recordGradNorms`, read the device's per-layer sums of batch gradient norms. Record the
 *    chunk's epochs (loss NaN where none was read back) and end the last one as on the CPU.
 */
import {
  createMlpWorkspace,
  type DeviceMlpTrainer,
  loss as lossFunction,
  type MlpWorkspace,
  mlpForward,
  softmaxCrossEntropy,
} from '@annlab/core';
import { invalidArgument } from '@annlab/core/internal';
import { DivergenceError, TrainError, TrainerStateError } from '../errors.js';
import type { MlpModel, Model } from '../model.js';
import { stepScheduled, type WebGpuBackend } from '../webgpu.js';
import { rejectUnknownKeys, type TrainConfig } from './config.js';
import type { Engine } from './engine.js';
import {
  checkTrainerStatus,
  elapsed,
  endEpoch,
  initialLoopState,
  isFinished,
  type LoopState,
  type TrainerStatus,
  yieldToEventLoop,
} from './loop.js';
import { resultOfLoop } from './result.js';
import { captureOptimizerState, type TrainerSnapshot } from './snapshot.js';
import {
  buildSnapshot,
  RUN_OPTIONS,
  type RunOptions,
  type RunSummary,
  type Trainer,
} from './trainer.js';
import type { FitResult, ProgressEvent, StopReason } from './types.js';
import { type GpuSetup, gpuSetup } from './webgpuEngine.js';

const isMeanLoss = (l: string) =>
  l === 'mse' || l === 'bceWithLogits' || l === 'softmaxCrossEntropy';

/** A trainer whose updates run on a WebGPU device; see the module comment. */
export class WebGpuTrainer<M extends Model> implements Trainer<M> {
  readonly cfg: TrainConfig<M>;
  readonly st: LoopState;
  private readonly setup: GpuSetup;
  private readonly engine: Engine;
  private device: DeviceMlpTrainer | undefined;
  private creating: Promise<DeviceMlpTrainer> | undefined;
  private status: TrainerStatus = 'ready';

  constructor(cfg: TrainConfig<M>) {
    this.cfg = cfg;
    this.setup = gpuSetup(cfg);
    const m = cfg.model as MlpModel;
    const params = Float64Array.from(m.params);
    this.st = initialLoopState(cfg, params);
    const spec = m.spec;
    const outS = spec.sizes[spec.sizes.length - 1]!;
    const lossFn = lossFunction(cfg.loss);
    let ws: MlpWorkspace | undefined;
    this.engine = {
      params,
      // per layer, the sums of the epoch's batch gradient norms, read back from the device
      normSums: cfg.recordGradNorms ? new Float64Array(spec.sizes.length - 1) : undefined,
      steps: 0,
      divergence: '',
      // the loop's sum holds the epoch's loss read back from the device
      epochLoss: (sum) => sum,
      // the CPU float64 path, as the CPU trainer's float64 validation loss
      evaluate(x, y) {
        if (ws?.batchSize !== x.rows) ws = createMlpWorkspace(spec, x.rows, 'float64');
        const out = mlpForward(spec, params, x.data, x.rows, ws);
        return cfg.loss === 'softmaxCrossEntropy' && y.cols === 1
          ? softmaxCrossEntropy(out, y.data, outS)
          : lossFn.value(out, y.data, x.rows * outS, outS);
      },
      runBatches() {
        throw new Error('unreachable: WebGPU batches run on the device');
      },
    };
  }

  get epoch(): number {
    return this.st.epoch;
  }
  get epochs(): number {
    return this.cfg.epochs;
  }
  get updates(): number {
    return this.engine.steps;
  }
  get stepsPerEpoch(): number {
    return this.cfg.plan.batchesPerEpoch;
  }
  /** The parameters of the last read-back (after every `run()` chunk). */
  get params(): Float64Array {
    return this.engine.params;
  }
  get stopReason(): StopReason | undefined {
    return this.st.stopReason;
  }

  /** Throws unless the trainer may train (or, with `reading`, be read). */
  private check(fn: string, reading = false): void {
    checkTrainerStatus(fn, this.status, this.st, reading);
  }

  /** The synchronous calls: GPU work is awaited, so they are refused with a named error. */
  private refuseSync(fn: string): never {
    this.check(fn, true);
    throw new TrainerStateError(
      `${fn}: a WebGPU trainer runs asynchronously (its updates are awaited on the device); use await trainer.run({ epochs })`,
      'asynchronous',
    );
  }

  step(): void {
    this.refuseSync('step');
  }

  runEpochs(_k: number): RunSummary {
    this.refuseSync('runEpochs');
  }

  /** The device trainer, created from the initial parameters on the first call. */
  private async deviceTrainer(): Promise<DeviceMlpTrainer> {
    if (this.device) return this.device;
    const cfg = this.cfg;
    const plan = cfg.plan;
    const m = cfg.model as MlpModel;
    const mini = plan.batchSize < plan.n;
    this.creating ??= (cfg.backend as WebGpuBackend).createTrainer(
      { sizes: [...m.spec.sizes], activations: [...m.spec.activations] },
      this.engine.params.slice(),
      {
        optimizer: this.setup.optimizer,
        loss: this.setup.loss,
        data: { x: Float32Array.from(cfg.train.x.data), y: Float32Array.from(this.setup.y) },
        batchSize: plan.batchSize,
        ...(cfg.regularization ? { regularization: { ...cfg.regularization } } : {}),
        ...(mini && plan.shuffle !== 'none' ? { order: (e: number) => plan.order(e) } : {}),
        ...(cfg.recordGradNorms ? { gradNorms: true } : {}),
      },
    );
    const device = await this.creating;
    if (cfg.recordGradNorms && typeof device.readGradNormSums !== 'function') {
      device.dispose();
      this.creating = undefined;
      throw new TrainError(
        `${cfg.fn}: the GPU trainer has no readGradNormSums, which options.recordGradNorms needs`,
      );
    }
    if (device.batchesPerEpoch !== plan.batchesPerEpoch) {
      device.dispose();
      this.creating = undefined;
      throw new TrainError(
        `${cfg.fn}: the GPU trainer runs ${device.batchesPerEpoch} batches per epoch, the batch plan ${plan.batchesPerEpoch}`,
      );
    }
    this.device = device;
    return device;
  }

  async run(options: RunOptions = {}): Promise<FitResult<M>> {
    const fn = 'run';
    this.check(fn);
    if (options === null || typeof options !== 'object') {
      throw invalidArgument(fn, 'options', options, 'an object');
    }
    rejectUnknownKeys(fn, 'options', options, RUN_OPTIONS);
    const cfg = this.cfg;
    const st = this.st;
    const k = options.epochs ?? Math.max(1, cfg.epochs - st.epoch);
    if (!Number.isInteger(k) || k < 1) {
      throw invalidArgument(fn, 'options.epochs', options.epochs, 'an integer ≥ 1');
    }
    const every = options.yieldEveryMs ?? 16;
    if (typeof every !== 'number' || !(every >= 0)) {
      throw invalidArgument(fn, 'options.yieldEveryMs', every, 'a number ≥ 0');
    }
    const signals = [cfg.signal, options.signal].filter((s) => s !== undefined);
    const onProgress = options.onProgress ?? cfg.onProgress;
    const end = Math.min(st.epoch + k, cfg.epochs);
    this.status = 'running';
    st.clockStart = performance.now();
    let lastYield = performance.now();
    try {
      const device = await this.deviceTrainer();
      const chunkEpochs =
        cfg.val || cfg.earlyStopping || cfg.recordGradNorms ? 1 : cfg.progressEvery;
      while (st.epoch < end && !isFinished(this.st) && (this.status as string) !== 'disposed') {
        if (signals.some((s) => s.aborted)) {
          st.stopReason = 'aborted';
          break;
        }
        const next = Math.min(end, (Math.floor(st.epoch / chunkEpochs) + 1) * chunkEpochs);
        await this.chunk(device, next, onProgress);
        if ((this.status as string) === 'disposed') break;
        if (performance.now() - lastYield >= every) {
          // device promises may resolve as microtasks: let timers and messages run
          await yieldToEventLoop();
          if ((this.status as string) === 'disposed') break;
          lastYield = performance.now();
        }
      }
    } finally {
      if (this.status === 'running') this.status = 'ready';
      st.elapsedMs = elapsed(st);
      st.clockStart = performance.now();
    }
    this.check(fn, true);
    return this.result();
  }

  /** Steps 1–4 of the module comment, from the current epoch to epoch `next` (exclusive). */
  private async chunk(
    device: DeviceMlpTrainer,
    next: number,
    onProgress: ((e: ProgressEvent) => void) | undefined,
  ): Promise<void> {
    const cfg = this.cfg;
    const st = this.st;
    const engine = this.engine;
    const plan = cfg.plan;
    const nb = plan.batchesPerEpoch;
    const from = st.epoch;
    const count = (next - from) * nb;
    st.lastGood.set(engine.params);
    if (this.setup.schedule) await stepScheduled(device, engine.steps, count, this.setup.schedule);
    else await device.step(count);
    engine.steps += count;
    // the last batch's loss in the epoch loss's units: means as they are, sums scaled from the
    // last batch's rows to the whole training set
    const lastRows = plan.n - (nb - 1) * plan.batchSize;
    const scale = isMeanLoss(this.setup.loss) ? 1 : plan.n / lastRows;
    const loss = (await device.readLoss()) * scale;
    const p = await device.readParams();
    let check = loss - loss;
    for (let i = 0; i < p.length; i++) check += p[i]! * 0;
    if (check !== 0) {
      this.status = 'diverged';
      throw new DivergenceError(
        `${cfg.fn}: training diverged on the GPU between epochs ${from} and ${next - 1} (the loss is ${loss}${
          Number.isFinite(loss) ? ', the parameters are not finite' : ''
        }); lastGoodParams holds the parameters read back at the start of epoch ${from}`,
        st.lastGood.slice(),
        from,
        engine.steps - count,
      );
    }
    engine.params.set(p);
    // one-epoch chunks with gradient norms: the loop divides the sums by the batches per epoch
    if (engine.normSums) engine.normSums.set(await device.readGradNormSums!());
    // epochs of the chunk before its last: nothing was read back
    for (let e = from; e < next - 1; e++) {
      st.loss.push(Number.NaN);
      if (cfg.val) st.valLoss.push(Number.NaN);
      st.time.push(elapsed(st));
      st.updates.push((e + 1 - from) * nb + (engine.steps - count));
      st.epoch = e + 1;
    }
    st.sum = loss;
    st.batch = 0;
    endEpoch(cfg, engine, st, onProgress);
  }

  result(): FitResult<M> {
    this.check('result', true);
    return resultOfLoop(this.cfg, this.st, this.engine.params, this.status === 'running');
  }

  /**
   * A checkpoint of the parameters read back last, the position, early-stopping state and
   * history. The device's optimizer moments cannot be read back: `optimizer.state` is the
   * optimizer's fresh state, so a trainer restored from it restarts the moments (and its
   * learning-rate schedule's step count) and does not continue bit-identically.
   */
  snapshot(): TrainerSnapshot {
    this.check('snapshot', true);
    if (this.status === 'diverged') {
      throw new TrainerStateError(
        'snapshot: training diverged; the optimizer state is not usable (result() has the last good parameters)',
        'diverged',
      );
    }
    const params = this.engine.params;
    return buildSnapshot(
      this.cfg,
      this.st,
      params,
      captureOptimizerState(this.cfg.optimizer.init(params)),
      this.engine.steps,
      this.engine.normSums,
      this.st.elapsedMs,
    );
  }

  dispose(): void {
    this.status = 'disposed';
    if (this.device) this.device.dispose();
    // still being created: release it when it arrives (a failed creation has nothing to release)
    else
      void this.creating?.then(
        (d) => d.dispose(),
        () => undefined,
      );
    this.device = undefined;
  }
}
