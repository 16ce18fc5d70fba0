/**
 * ONNX export: a model becomes one float32 graph that takes raw inputs and gives outputs in the
 * targets' units (the stored normalisation is part of the graph), runnable in ONNX Runtime (Node,
 * web, Python) and anything else that reads ONNX (opset 17, IR version 8).
 *
 * Graph: `x` [N, inputs] → (x − mean) / std → per layer Gemm(W, b, transB = 1) → activation → …
 * → y · std + mean → `y` [N, outputs]. Classifiers (models trained with a logits loss) output
 * `logits` and `probabilities` instead of `y`; see `CLASSIFIER_HEADS` below.
 */
import { formatValue } from '@annlab/core/internal';
import type { Model } from '../model.js';
import type { Standardizer } from '../normalize.js';
import { ExportError } from './errors.js';
import { type DenseLayer, denseView } from './layers.js';
import { Message } from './protobuf.js';

/** The ONNX opset the exporter writes (every operator used exists there unchanged). */
export const ONNX_OPSET = 17;
/** The ONNX IR version matching {@link ONNX_OPSET}. */
export const ONNX_IR_VERSION = 8;

// TensorProto.DataType
const FLOAT = 1;
// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;

/** Options of {@link toOnnx}. */
export interface OnnxExportOptions {
  /** The graph's name (default `'annlab'`). */
  readonly name?: string;
  /** Free text stored as the model's doc string. */
  readonly docString?: string;
}

type Attr = { readonly name: string; readonly f?: number; readonly i?: number };

/** Builds the nodes and initializers of one graph, naming every intermediate value uniquely. */
class GraphBuilder {
  readonly nodes: Message[] = [];
  readonly initializers: Message[] = [];
  private count = 0;

  fresh(hint: string): string {
    this.count += 1;
    return `${hint}_${this.count}`;
  }

  /** A float32 initializer of the given shape; returns its name. */
  constant(hint: string, dims: readonly number[], data: ArrayLike<number>): string {
    const name = this.fresh(hint);
    const raw = new Uint8Array(data.length * 4);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i]!, true);
    const t = new Message();
    for (const d of dims) t.varint(1, d); // dims
    t.varint(2, FLOAT).string(8, name).bytes(9, raw); // data_type, name, raw_data
    this.initializers.push(t);
    return name;
  }

  /** A scalar float32 constant. */
  scalar(hint: string, value: number): string {
    return this.constant(hint, [], [value]);
  }

  /** Appends a node; returns its (single) output's name. */
  node(
    op: string,
    inputs: readonly string[],
    attrs: readonly Attr[] = [],
    output?: string,
  ): string {
    const out = output ?? this.fresh(op.toLowerCase());
    const n = new Message();
    for (const i of inputs) n.string(1, i);
    n.string(2, out).string(3, `${op}_${this.nodes.length}`).string(4, op);
    for (const a of attrs) {
      const am = new Message().string(1, a.name);
      if (a.f !== undefined) am.float(2, a.f).varint(20, ATTR_FLOAT);
      else am.varint(3, a.i ?? 0).varint(20, ATTR_INT);
      n.message(5, am);
    }
    this.nodes.push(n);
    return out;
  }
}

/** The activation of one layer as ONNX operators; throws for an activation without one. */
function activationNodes(g: GraphBuilder, z: string, layer: DenseLayer, index: number): string {
  const spec = layer.activation;
  const name = typeof spec === 'string' ? spec : spec?.name;
  const param = (key: string, fallback: number): number => {
    const v = typeof spec === 'object' ? (spec as Record<string, unknown>)[key] : undefined;
    return typeof v === 'number' ? v : fallback;
  };
  switch (name) {
    case 'identity':
      return z;
    case 'sigmoid':
      return g.node('Sigmoid', [z]);
    case 'tanh':
      return g.node('Tanh', [z]);
    case 'relu':
      return g.node('Relu', [z]);
    case 'softplus':
      return g.node('Softplus', [z]);
    case 'leakyRelu':
      return g.node('LeakyRelu', [z], [{ name: 'alpha', f: param('slope', 0.01) }]);
    case 'elu':
      return g.node('Elu', [z], [{ name: 'alpha', f: param('alpha', 1) }]);
    case 'gelu': {
      const approximate =
        typeof spec === 'object' ? (spec as { approximate?: string }).approximate : 'none';
      if (approximate === undefined || approximate === 'none') {
        // x · ½(1 + erf(x / √2))
        const e = g.node('Erf', [g.node('Div', [z, g.scalar('sqrt2', Math.SQRT2)])]);
        const cdf = g.node('Mul', [g.node('Add', [e, g.scalar('one', 1)]), g.scalar('half', 0.5)]);
        return g.node('Mul', [z, cdf]);
      }
      if (approximate === 'tanh') {
        // ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
        const x3 = g.node('Mul', [g.node('Mul', [z, z]), z]);
        const inner = g.node('Add', [z, g.node('Mul', [x3, g.scalar('c', 0.044715)])]);
        const t = g.node('Tanh', [g.node('Mul', [inner, g.scalar('k', Math.sqrt(2 / Math.PI))])]);
        const cdf = g.node('Mul', [g.node('Add', [t, g.scalar('one', 1)]), g.scalar('half', 0.5)]);
        return g.node('Mul', [z, cdf]);
      }
      break;
    }
  }
  throw new ExportError(
    `toOnnx: layers[${index}].activation ${formatValue(spec)} has no ONNX equivalent`,
    `layers[${index}].activation`,
  );
}

function scaleIn(g: GraphBuilder, x: string, s: Standardizer, cols: number): string {
  const mean = g.constant('x_mean', [cols], s.mean);
  const std = g.constant('x_std', [cols], s.std);
  return g.node('Div', [g.node('Sub', [x, mean]), std]);
}

function scaleOut(
  g: GraphBuilder,
  y: string,
  s: Standardizer,
  cols: number,
  output: string,
): string {
  const mean = g.constant('y_mean', [cols], s.mean);
  const std = g.constant('y_std', [cols], s.std);
  return g.node('Add', [g.node('Mul', [y, std]), mean], [], output);
}

/**
 * Output heads of classifiers, by training loss: the network's last layer gives logits; the head
 * turns them into probabilities (as train's `predictProba`). A new classification loss is one
 * entry here: its name and the operators from `logits` to `probabilities`.
 */
const CLASSIFIER_HEADS: Record<string, (g: GraphBuilder, logits: string, out: string) => string> = {
  bceWithLogits: (g, logits, out) => g.node('Sigmoid', [logits], [], out),
  softmaxCrossEntropy: (g, logits, out) =>
    g.node('Softmax', [logits], [{ name: 'axis', i: -1 }], out),
};

function valueInfo(name: string, cols: number): Message {
  const shape = new Message()
    .message(1, new Message().string(2, 'N')) // dim { dim_param: "N" }
    .message(1, new Message().varint(1, cols)); // dim { dim_value: cols }
  const tensor = new Message().varint(1, FLOAT).message(2, shape); // elem_type, shape
  return new Message().string(1, name).message(2, new Message().message(1, tensor));
}

/**
 * Exports a chain or MLP model as an ONNX model (the bytes of a `.onnx` file). The graph takes raw
 * inputs `x` (float32, `[N, inputs]`) and returns `y` (float32, `[N, outputs]`) in the units of
 * the training targets, as `predict` does, in float32. A model trained with `bceWithLogits` or `softmaxCrossEntropy`
 * returns `logits` (what `predict` gives) and `probabilities` (their sigmoid, or softmax over each row) instead.
 *
 * Every annlab activation maps to ONNX operators: exact GELU as x·½(1 + Erf(x/√2)), the tanh GELU
 * from Tanh, leaky ReLU and ELU with their parameters.
 *
 * @throws ValidationError for a malformed model (as `predict`); ExportError naming the layer whose
 * activation ONNX cannot express.
 * @example
 * ```ts
 * import { writeFileAtomic } from '@annlab/train/node';
 * await writeFileAtomic('model.onnx', toOnnx(result.model)); // temporary file, then rename
 * // Python: onnxruntime.InferenceSession('model.onnx').run(None, { 'x': xs.astype('float32') })
 * ```
 */
export function toOnnx(model: Model, options: OnnxExportOptions = {}): Uint8Array {
  const fn = 'toOnnx';
  const view = denseView(fn, model);
  const g = new GraphBuilder();
  const norm = view.normalization;
  let v = 'x';
  if (norm?.x) v = scaleIn(g, v, norm.x, view.inputs);
  view.layers.forEach((layer, i) => {
    const w = g.constant(`layers_${i}_weight`, [layer.outSize, layer.inSize], layer.weight);
    const b = g.constant(`layers_${i}_bias`, [layer.outSize], layer.bias);
    const z = g.node('Gemm', [v, w, b], [{ name: 'transB', i: 1 }]);
    v = activationNodes(g, z, layer, i);
  });
  const head = view.loss !== undefined ? CLASSIFIER_HEADS[view.loss] : undefined;
  const outputs: string[] = [];
  if (head) {
    // The logits are what `predict` returns (rescaled only if the user asked for it).
    if (norm?.y) scaleOut(g, v, norm.y, view.outputs, 'logits');
    else g.node('Identity', [v], [], 'logits');
    head(g, 'logits', 'probabilities');
    outputs.push('logits', 'probabilities');
  } else {
    if (norm?.y) scaleOut(g, v, norm.y, view.outputs, 'y');
    else g.node('Identity', [v], [], 'y');
    outputs.push('y');
  }
  const graph = new Message();
  for (const n of g.nodes) graph.message(1, n);
  graph.string(2, options.name ?? 'annlab');
  for (const t of g.initializers) graph.message(5, t);
  graph.message(11, valueInfo('x', view.inputs));
  for (const o of outputs) graph.message(12, valueInfo(o, view.outputs));
  const m = new Message()
    .varint(1, ONNX_IR_VERSION)
    .string(2, 'annlab')
    .message(7, graph)
    .message(8, new Message().string(1, '').varint(2, ONNX_OPSET));
  if (options.docString !== undefined) m.string(6, options.docString);
  m.message(14, new Message().string(1, 'annlab.kind').string(2, view.kind));
  return m.finish();
}
