/**
 * From a playground state (and an uploaded table) to the data and the training job: pure functions,
 * no DOM. The controller calls these; the tests call them directly.
 */
import { foldIn, key, normal } from '@annlab/core';
import { FormulaError, parseFormula, sampleFormula } from '@annlab/formula';
import type { PlaygroundState } from '../state/url.js';
import { linspace } from '../ui/run.js';
import type { JobSpec } from '../worker/protocol.js';
import { PLANE_EXTENT, planeGrid, planeSet, type Split, splitRows, takeRows } from './datasets.js';

/** The parts of train's `TableData` the playground reads (an uploaded CSV, already parsed). */
export interface TableInput {
  /** Inputs, rows × xColumns.length, row-major. */
  readonly x: ArrayLike<number>;
  readonly xColumns: readonly string[];
  /** Targets (regression, rows × yColumns.length) or class indices (classification). */
  readonly y: ArrayLike<number> | null;
  readonly yColumns: readonly string[];
  /** Class labels (classification), else null. */
  readonly classes: readonly string[] | null;
  readonly rows: number;
}

/** How the data is drawn: a curve over [a, b] (one input) or a map over a rectangle (two). */
export type DataView =
  | { readonly kind: 'curve'; readonly a: number; readonly b: number }
  | {
      readonly kind: 'plane';
      readonly x: readonly [number, number];
      readonly y: readonly [number, number];
    }
  | { readonly kind: 'none' };

/** The data of a run, split into training and test rows. */
export interface PreparedData {
  readonly inputs: number;
  readonly outputs: number;
  /** Number of classes (classification), else undefined. */
  readonly classes?: number;
  /** Class names (classification). */
  readonly classNames?: readonly string[];
  readonly inputNames: readonly string[];
  /** All rows: inputs (rows × inputs) and targets in the job's layout (rows × outputs). */
  readonly x: readonly number[];
  readonly y: readonly number[];
  /** Class of each row (classification). */
  readonly label?: readonly number[];
  readonly split: Split;
  readonly view: DataView;
}

/** A problem with the data: a message, and where in the formula when it is the formula's. */
export interface DataProblem {
  readonly error: string;
  readonly index?: number;
}

/** The target formula sampled on the state's domain, with noise from the state's key. */
export function formulaData(s: PlaygroundState): { x: number[]; y: number[] } | DataProblem {
  try {
    const f = parseFormula(s.f);
    const { x, y } = sampleFormula(f, s.a, s.b, s.n);
    const out = Array.from(y);
    if (s.noise > 0) {
      const z = normal(key(s.seed + 1), [s.n]);
      for (let i = 0; i < out.length; i++) out[i]! += s.noise * z[i]!;
    }
    return { x: Array.from(x), y: out };
  } catch (e) {
    if (e instanceof FormulaError) {
      return { error: e.message, ...(e.index !== undefined ? { index: e.index } : {}) };
    }
    return { error: (e as Error).message };
  }
}

/** Class indices as job targets: 0/1 for two classes (one output), one-hot for more. */
export function classTargets(label: ArrayLike<number>, classes: number): number[] {
  if (classes === 2) return Array.from(label, (c) => (c === 1 ? 1 : 0));
  const out = new Array<number>(label.length * classes).fill(0);
  for (let r = 0; r < label.length; r++) out[r * classes + label[r]!] = 1;
  return out;
}

/** [min, max] of column c, widened by 5 % on each side (a constant column by ±1). */
function paddedRange(x: ArrayLike<number>, cols: number, c: number): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = c; i < x.length; i += cols) {
    lo = Math.min(lo, x[i]!);
    hi = Math.max(hi, x[i]!);
  }
  if (!(hi > lo)) return [lo - 1, lo + 1];
  const pad = 0.05 * (hi - lo);
  return [lo - pad, hi + pad];
}

function viewOf(x: ArrayLike<number>, inputs: number): DataView {
  if (inputs === 1) {
    const [a, b] = paddedRange(x, 1, 0);
    return { kind: 'curve', a, b };
  }
  if (inputs === 2) return { kind: 'plane', x: paddedRange(x, 2, 0), y: paddedRange(x, 2, 1) };
  return { kind: 'none' };
}

/**
 * The data of a state: the formula, a 2-D set (drawn from `key(seed)`), or the uploaded table, with
 * its train/test split (`splitRows(foldIn(key(seed), 7), n, ratio)`).
 *
 * @example
 * ```ts
 * const d = prepareData({ ...DEFAULT_STATE, mode: 'classification', data: 'xor' });
 * d.inputs; // 2
 * ```
 */
export function prepareData(s: PlaygroundState, table?: TableInput): PreparedData | DataProblem {
  const classify = s.mode === 'classification';
  const splitKey = foldIn(key(s.seed), 7);
  if (s.data === 'formula') {
    if (classify) return { error: 'classification needs a 2-D set or a CSV file, not a formula' };
    const f = formulaData(s);
    if ('error' in f) return f;
    return {
      inputs: 1,
      outputs: 1,
      inputNames: ['x'],
      x: f.x,
      y: f.y,
      split: splitRows(splitKey, s.n, s.ratio),
      view: { kind: 'curve', a: s.a, b: s.b },
    };
  }
  if (s.data === 'csv') {
    if (!table)
      return { error: 'choose a CSV file first (it stays on this page, not in the link)' };
    if (table.y === null) return { error: 'choose the target column of the CSV file' };
    if (table.rows < 2) return { error: `the CSV file needs at least 2 rows, got ${table.rows}` };
    const inputs = table.xColumns.length;
    if (classify) {
      const names = table.classes;
      if (!names || names.length < 2) {
        return { error: 'classification needs a label column with at least 2 classes' };
      }
      const label = Array.from(table.y);
      return {
        inputs,
        outputs: names.length === 2 ? 1 : names.length,
        classes: names.length,
        classNames: names,
        inputNames: table.xColumns,
        x: Array.from(table.x),
        y: classTargets(label, names.length),
        label,
        split: splitRows(splitKey, table.rows, s.ratio),
        view: viewOf(table.x, inputs),
      };
    }
    if (table.classes) return { error: 'the target column holds classes: choose classification' };
    return {
      inputs,
      outputs: table.yColumns.length,
      inputNames: table.xColumns,
      x: Array.from(table.x),
      y: Array.from(table.y),
      split: splitRows(splitKey, table.rows, s.ratio),
      view: viewOf(table.x, inputs),
    };
  }
  const set = planeSet(s.data, key(s.seed), s.n, s.noise);
  const label = Array.from(set.label);
  const extent = [-PLANE_EXTENT, PLANE_EXTENT] as const;
  return {
    inputs: 2,
    outputs: 1,
    ...(classify ? { classes: 2, classNames: ['0', '1'] } : {}),
    inputNames: ['x₁', 'x₂'],
    x: Array.from(set.x),
    y: label,
    label,
    split: splitRows(splitKey, s.n, s.ratio),
    view: { kind: 'plane', x: extent, y: extent },
  };
}

/** Cells per side of the decision-boundary map and of each neuron's map. */
export const MAP_CELLS = 40;
export const NEURON_CELLS = 16;
/** Largest network whose neurons are drawn (hidden neurons in all). */
export const MAX_NEURONS_SHOWN = 64;

/** The grid of the live prediction: 200 points of the curve, or the map's cell centres. */
export function predictionGrid(view: DataView, cells = MAP_CELLS): number[] | undefined {
  if (view.kind === 'curve') return linspace(view.a, view.b, 200);
  if (view.kind === 'plane') return planeGrid(view.x, view.y, cells, cells);
  return undefined;
}

/**
 * The training job of a state on prepared data: classification trains logits, with
 * `bceWithLogits` on one output for two classes and `softmaxCrossEntropy` on one output per class
 * for more; the test rows go along
 * for the test loss; the neurons' maps are asked for when the inputs are a plane and the network
 * is small enough to draw.
 */
export function playgroundJob(s: PlaygroundState, d: PreparedData): JobSpec {
  const sizes = [d.inputs, ...new Array<number>(s.depth).fill(s.width), d.outputs];
  const classify = d.classes !== undefined;
  const train = {
    x: takeRows(d.x, d.inputs, d.split.train),
    y: takeRows(d.y, d.outputs, d.split.train),
  };
  const test = {
    x: takeRows(d.x, d.inputs, d.split.test),
    y: takeRows(d.y, d.outputs, d.split.test),
  };
  const n = d.split.train.length;
  const grid = predictionGrid(d.view);
  const showNeurons = d.view.kind === 'plane' && s.depth * s.width <= MAX_NEURONS_SHOWN;
  return {
    model: {
      kind: 'mlp',
      sizes,
      hidden: s.act,
      output: classify ? 'identity' : s.out,
    },
    x: train.x,
    y: train.y,
    test,
    seed: s.seed,
    optimizer: s.opt,
    learningRate: s.lr,
    schedule: s.sched,
    batch: typeof s.batch === 'number' ? Math.min(s.batch, n) : s.batch,
    epochs: s.epochs,
    loss: !classify ? s.loss : d.classes === 2 ? 'bceWithLogits' : 'softmaxCrossEntropy',
    normalize: s.norm,
    backend: s.backend,
    chunk: Math.max(1, Math.floor(s.epochs / 100)),
    ...(grid ? { grid } : {}),
    gradNorms: s.backend === 'cpu',
    ...(classify ? { classes: d.classes } : {}),
    ...(s.reg !== 'none' ? { regularization: { kind: s.reg, rate: s.rate } } : {}),
    ...(showNeurons && d.view.kind === 'plane'
      ? { neuronGrid: planeGrid(d.view.x, d.view.y, NEURON_CELLS, NEURON_CELLS) }
      : {}),
  };
}
