import { annlabMlpImpl } from '../src/annlab.js';
import { w3Problem, w4Problem } from '../src/data.js';

const which = process.argv[2] ?? 'W4';
const reps = Number(process.argv[3] ?? 5);
const p = which === 'W3' ? w3Problem() : w4Problem();
const impl = annlabMlpImpl(p, which);
const t = (await impl.create()) as any;
const epochs = which === 'W3' ? 1000 : 20;
t.train(which === 'W3' ? 200 : 4);
const times: number[] = [];
for (let r = 0; r < reps; r++) {
  t.reset();
  const s = performance.now();
  t.train(epochs);
  times.push(performance.now() - s);
}
times.sort((a, b) => a - b);
console.log(which, 'median', times[Math.floor(times.length / 2)]!.toFixed(0), 'all', times.map((x) => x.toFixed(0)).join(' '));
