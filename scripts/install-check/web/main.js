// Bundled by Vite from the installed packages and loaded in headless Chromium.
import { initMlp, key, mlpPredict, mlpSpec } from '@annlab/core';
import { GpuUnavailableError, requestGpu } from '@annlab/gpu';

const out = document.querySelector('#out');
const spec = mlpSpec([1, 4, 1], 'tanh');
const y = mlpPredict(spec, initMlp(spec, key(0)), Float64Array.of(0.5), 1);
let gpu = 'none';
try {
  const g = await requestGpu({ gpu: navigator.gpu });
  gpu = `${g.adapter.vendor || 'unknown'} ${g.adapter.architecture || ''}`.trim();
} catch (e) {
  if (!(e instanceof GpuUnavailableError)) throw e;
  gpu = `unavailable: ${e.message}`;
}
out.textContent = JSON.stringify({ y: Array.from(y), gpu });
document.body.dataset.state = Number.isFinite(y[0]) ? 'ok' : 'bad';
