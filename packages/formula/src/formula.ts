/**
 * Target formulas such as `-3x + 2`, `log(x)`, `x * exp(x)`, typed by a user in the CLI or the demo.
 *
 * Steps:
 * 1. mathjs parses the text into a syntax tree (implicit multiplication allowed: `3x`).
 * 2. The tree is checked against an allow-list: numbers, the variables, the constants `pi` and `e`,
 *    the operators + − · / ^ and unary ±, parentheses, and a fixed set of elementary functions.
 *    Anything else (assignments, function definitions, matrices, property access, unknown names) is
 *    rejected with its position.
 * 3. The tree is turned into nested closures over plain `Math` functions: no `eval`, no `new Function`,
 *    no mathjs evaluator at run time.
 */
import { type MathNode, parse } from './mathjs.js';

/** A formula that could not be parsed or uses something outside the allow-list. */
export class FormulaError extends Error {
  override name = 'FormulaError';
  constructor(
    message: string,
    /** The formula text. */
    readonly text: string,
    /** 0-based character index of the problem, when known. */
    readonly index?: number,
  ) {
    super(message);
  }
}

/**
 * Escapes control characters (and the backslash and the double quote) so a formula or a name echoed
 * in a message stays on one line and cannot move a terminal's cursor: `"a\u001b[2Jb"`.
 */
export function quoteText(text: string): string {
  let out = '"';
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029)
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

/** `table[name]` when `name` is the table's own key (never a name inherited from Object.prototype). */
function own<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

const FUNCTIONS: Record<string, (...a: number[]) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  exp: Math.exp,
  log: (x: number, base?: number) =>
    base === undefined ? Math.log(x) : Math.log(x) / Math.log(base),
  ln: Math.log,
  log10: Math.log10,
  log2: Math.log2,
  sqrt: Math.sqrt,
  cbrt: Math.cbrt,
  abs: Math.abs,
  sign: Math.sign,
  floor: Math.floor,
  ceil: Math.ceil,
  round: Math.round,
  min: Math.min,
  max: Math.max,
  pow: Math.pow,
  sigmoid: (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
};
const ARITY: Record<string, [number, number]> = {
  log: [1, 2],
  min: [1, 8],
  max: [1, 8],
  pow: [2, 2],
};
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E, PI: Math.PI, E: Math.E };

/** Names of the functions a formula may call. */
export const FORMULA_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);

type Compiled = (vars: Float64Array) => number;

export interface Formula {
  /** The text as typed. */
  readonly text: string;
  /** The variable names, in the order `evaluate` takes them. */
  readonly variables: readonly string[];
  /** The formula as mathjs prints it (normalised). */
  readonly normalized: string;
  /** Evaluates the formula at one point (one value per variable). */
  evaluate(...values: number[]): number;
}

function position(text: string, err: unknown): number | undefined {
  const m = /\(char (\d+)\)/.exec(String((err as Error)?.message ?? ''));
  return m ? Math.max(0, Number(m[1]) - 1) : text.length > 0 ? undefined : 0;
}

/**
 * Parses and compiles a formula over the given variables (default `x`).
 *
 * @example
 * const f = parseFormula('-3x + 2');
 * f.evaluate(1); // -1
 */
export function parseFormula(text: string, opts: { variables?: readonly string[] } = {}): Formula {
  if (typeof text !== 'string') {
    throw new FormulaError(`parseFormula: text must be a string, got ${typeof text}`, '');
  }
  const variables = opts.variables ?? ['x'];
  if (text.trim() === '') throw new FormulaError('parseFormula: the formula is empty', text, 0);
  if (text.length > 500) {
    throw new FormulaError(
      `parseFormula: the formula is too long (${text.length} > 500 characters)`,
      text,
    );
  }
  let root: MathNode;
  try {
    root = parse(text);
  } catch (err) {
    const index = position(text, err);
    throw new FormulaError(
      `parseFormula: cannot parse ${quoteText(text)}: ${quoteText(String((err as Error)?.message ?? err)).slice(1, -1)}`,
      text,
      index,
    );
  }
  const index = new Map(variables.map((v, i) => [v, i]));
  const fail = (what: string): never => {
    throw new FormulaError(`parseFormula: ${what} in ${quoteText(text)}`, text);
  };

  const compile = (node: MathNode): Compiled => {
    const n = node as MathNode & Record<string, unknown>;
    switch (node.type) {
      case 'ConstantNode': {
        const value = n.value;
        if (typeof value !== 'number')
          return fail(`only numbers are allowed, not ${quoteText(String(value))}`);
        return () => value;
      }
      case 'SymbolNode': {
        const name = n.name as string;
        const i = index.get(name);
        if (i !== undefined) return (v) => v[i]!;
        const c = own(CONSTANTS, name);
        if (c !== undefined) return () => c;
        return fail(
          `unknown name ${quoteText(String(name))} (variables: ${variables.join(', ')}; constants: pi, e)`,
        );
      }
      case 'ParenthesisNode':
        return compile(n.content as MathNode);
      case 'OperatorNode': {
        const args = (n.args as MathNode[]).map(compile);
        const fn = n.fn as string;
        if (args.length === 1) {
          const [a] = args as [Compiled];
          if (fn === 'unaryMinus') return (v) => -a(v);
          if (fn === 'unaryPlus') return a;
        } else if (args.length === 2) {
          const [a, b] = args as [Compiled, Compiled];
          switch (fn) {
            case 'add':
              return (v) => a(v) + b(v);
            case 'subtract':
              return (v) => a(v) - b(v);
            case 'multiply':
              return (v) => a(v) * b(v);
            case 'divide':
              return (v) => a(v) / b(v);
            case 'pow':
              return (v) => a(v) ** b(v);
          }
        }
        return fail(`the operator ${quoteText(String(n.op))} is not allowed`);
      }
      case 'FunctionNode': {
        const fnNode = n.fn as MathNode & { name?: string };
        const name = fnNode.type === 'SymbolNode' ? fnNode.name! : '';
        const impl = own(FUNCTIONS, name);
        if (!impl) {
          return fail(
            `unknown function ${quoteText(String(name || '?'))} (allowed: ${FORMULA_FUNCTIONS.join(', ')})`,
          );
        }
        const args = (n.args as MathNode[]).map(compile);
        const [lo, hi] = own(ARITY, name) ?? [1, 1];
        if (args.length < lo || args.length > hi) {
          return fail(
            `${name} takes ${lo === hi ? lo : `${lo} to ${hi}`} argument(s), got ${args.length}`,
          );
        }
        if (args.length === 1) {
          const [a] = args as [Compiled];
          return (v) => impl(a(v));
        }
        return (v) => impl(...args.map((a) => a(v)));
      }
      default:
        return fail(`${quoteText(node.toString())} (${node.type}) is not allowed in a formula`);
    }
  };

  let compiled: Compiled;
  try {
    compiled = compile(root);
  } catch (err) {
    if (err instanceof FormulaError) throw err;
    // a tree too deep for the stack, or a node mathjs built in a shape we do not expect
    throw new FormulaError(
      `parseFormula: cannot compile ${quoteText(text)}: ${quoteText(String((err as Error)?.message ?? err)).slice(1, -1)}`,
      text,
    );
  }
  const vars = new Float64Array(variables.length);
  return {
    text,
    variables,
    normalized: root.toString({ implicit: 'hide' }),
    evaluate(...values: number[]): number {
      if (values.length !== variables.length) {
        throw new FormulaError(
          `formula.evaluate: expected ${variables.length} value(s) (${variables.join(', ')}), got ${values.length}`,
          text,
        );
      }
      for (let i = 0; i < values.length; i++) vars[i] = values[i]!;
      return compiled(vars);
    },
  };
}

export interface SampledTarget {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/**
 * Evaluates a one-variable formula on `points` evenly spaced points of [a, b] (both ends included).
 * Throws a FormulaError naming the first x where the value is not finite (`log x` at x = −1).
 */
export function sampleFormula(
  formula: Formula,
  a: number,
  b: number,
  points: number,
): SampledTarget {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !(a < b)) {
    throw new FormulaError(
      `sampleFormula: domain must be finite with a < b, got [${a}, ${b}]`,
      formula.text,
    );
  }
  if (!Number.isInteger(points) || points < 2 || points > 1_000_000) {
    throw new FormulaError(
      `sampleFormula: points must be an integer in [2, 1000000], got ${points}`,
      formula.text,
    );
  }
  const x = new Float64Array(points);
  const y = new Float64Array(points);
  for (let i = 0; i < points; i++) {
    // (b − a) overflows for a domain such as [−1e308, 1.7e308]: interpolate without it there
    const xi =
      i === points - 1
        ? b
        : Number.isFinite((b - a) * (points - 1))
          ? a + ((b - a) * i) / (points - 1)
          : a * (1 - i / (points - 1)) + b * (i / (points - 1));
    const yi = formula.evaluate(xi);
    if (!Number.isFinite(yi)) {
      throw new FormulaError(
        `sampleFormula: ${quoteText(formula.text)} is not finite at x = ${xi} (value ${yi}); choose a domain where it is defined`,
        formula.text,
      );
    }
    x[i] = xi;
    y[i] = yi;
  }
  return { x, y };
}
