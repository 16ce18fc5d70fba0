#!/usr/bin/env node
// The main job until the demo lands: a tour of @annlab/core in the terminal.
import { ACTIVATION_NAMES, activation } from '@annlab/core';

console.log('annlab: activations and their derivatives at x = -1, 0, 1');
for (const name of ACTIVATION_NAMES) {
  const act = activation(name);
  const row = [-1, 0, 1].map((x) => `f(${x})=${act.f(x).toFixed(4)} f'=${act.df(x).toFixed(4)}`);
  console.log(`  ${name.padEnd(10)} ${row.join('  ')}`);
}
