// Type-checked with tsc --noEmit (strict, NodeNext) against the installed packages' .d.ts.
import { type Activation, activation, type Key, key, type MlpSpec, mlpSpec } from '@annlab/core';
import { type Gpu, GpuUnavailableError, requestGpu } from '@annlab/gpu';
import { type FitChartOptions, fitChart } from '@annlab/plot';
import { type FitResult, fit, type MlpModel, type Model, predict, toOnnx } from '@annlab/train';

const spec: MlpSpec = mlpSpec([1, 4, 1], 'gelu');
const k: Key = key(1);
const act: Activation = activation('tanh');
const model: MlpModel = { kind: 'mlp', spec, params: new Float64Array(13) };
const result: FitResult<MlpModel> = fit(model, { x: [0, 1], y: [1, 2] }, { epochs: 1 });
const m: Model = result.model;
const out: Float64Array = predict(m, [0.5]);
const onnx: Uint8Array = toOnnx(m);
const options: FitChartOptions = { x: [0, 1], target: (v: number) => v, approximation: [0, 1] };
const svg: string = fitChart(options);
async function gpu(): Promise<Gpu | undefined> {
  try {
    return await requestGpu();
  } catch (e) {
    if (e instanceof GpuUnavailableError) return undefined;
    throw e;
  }
}
// @ts-expect-error: predict wants a model first
predict([0.5], m);

export { act, gpu, k, onnx, out, svg };
