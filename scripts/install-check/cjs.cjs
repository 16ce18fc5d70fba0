// CommonJS consumers: require() of the ESM-only packages (Node ≥ 20.19 loads ES modules this way).
const core = require('@annlab/core');
const train = require('@annlab/train');
const plot = require('@annlab/plot');

if (core.sigmoid(0) !== 0.5) throw new Error('install-check cjs: core.sigmoid(0) !== 0.5');
if (typeof train.fit !== 'function') throw new Error('install-check cjs: train.fit missing');
if (typeof plot.fitChart !== 'function')
  throw new Error('install-check cjs: plot.fitChart missing');
console.log('install-check cjs: ok');
