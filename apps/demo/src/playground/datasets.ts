/**
 * TensorFlow Playground's four 2-D classification sets (circle, XOR, Gaussian clusters, spiral),
 * written from their descriptions, drawn from annlab's reproducible keys: the same key, size and
 * noise give the same points on every machine.
 *
 * Every set lives in the square [−6, 6]² with two classes, 0 and 1, of n/2 points each (the first
 * half class 0, class 1 gets the extra point when n is odd). `noise` is the standard deviation of
 * Gaussian noise added to both coordinates, in the square's units.
 */
import { foldIn, type Key, normal, permutation, uniform } from '@annlab/core';

/** The 2-D sets. */
export type PlaneSetName = 'circle' | 'xor' | 'gauss' | 'spiral';
export const PLANE_SETS: readonly PlaneSetName[] = ['circle', 'xor', 'gauss', 'spiral'];

/** Half the side of the square the sets live in. */
export const PLANE_EXTENT = 6;

/** Points in the plane with a class (0 or 1) each. */
export interface PlaneSet {
  /** n × 2, row-major: x₁, x₂ of each point. */
  readonly x: Float64Array;
  /** Class of each point, 0 or 1. */
  readonly label: Uint8Array;
}

/** Radius of the circle and spiral sets. */
const RADIUS = 5;

function checkArgs(fn: string, n: number, noise: number): void {
  if (!Number.isInteger(n) || n < 2) {
    throw new RangeError(`${fn}: n must be an integer ≥ 2, got ${n}`);
  }
  if (!(Number.isFinite(noise) && noise >= 0)) {
    throw new RangeError(`${fn}: noise must be a finite number ≥ 0, got ${noise}`);
  }
}

/** Class of point i of n: the first ⌊n/2⌋ are class 0. */
function classOf(i: number, n: number): number {
  return i < Math.floor(n / 2) ? 0 : 1;
}

/**
 * One of the four sets, from a key.
 *
 * - circle: class 0 inside radius 2.5, class 1 on the ring between 3.5 and 5 (uniform angle and
 *   radius);
 * - xor: uniform in [−5, 5]², each coordinate at least 0.3 from the axes; class 1 where x₁·x₂ < 0;
 * - gauss: two clusters of σ = 1 at (2, 2) (class 0) and (−2, −2) (class 1);
 * - spiral: two interleaved arms r = 5·t, angle 1.75·2π·t + π·class for t in [0, 1).
 *
 * @example
 * ```ts
 * const { x, label } = planeSet('spiral', key(0), 200, 0.1);
 * x.length; // 400
 * ```
 */
export function planeSet(name: PlaneSetName, k: Key, n: number, noise: number): PlaneSet {
  const fn = 'planeSet';
  checkArgs(fn, n, noise);
  const x = new Float64Array(2 * n);
  const label = new Uint8Array(n);
  const u = uniform(foldIn(k, 1), [n, 2]);
  const z = normal(foldIn(k, 2), [n, 2]);
  const w = name === 'gauss' ? normal(foldIn(k, 3), [n, 2]) : z;
  const half = Math.floor(n / 2);
  for (let i = 0; i < n; i++) {
    const c = classOf(i, n);
    label[i] = c;
    const u0 = u[2 * i]!;
    const u1 = u[2 * i + 1]!;
    let a: number;
    let b: number;
    switch (name) {
      case 'circle': {
        const r = c === 0 ? 0.5 * RADIUS * u0 : RADIUS * (0.7 + 0.3 * u0);
        const t = 2 * Math.PI * u1;
        a = r * Math.sin(t);
        b = r * Math.cos(t);
        break;
      }
      case 'xor': {
        // magnitudes in [0.3, 5], signs chosen so the class holds: class 1 where x₁·x₂ < 0
        const m0 = 0.3 + 4.7 * u0;
        const m1 = 0.3 + 4.7 * u1;
        const s0 = (i & 2) === 0 ? 1 : -1;
        a = s0 * m0;
        b = (c === 0 ? s0 : -s0) * m1;
        break;
      }
      case 'gauss': {
        const centre = c === 0 ? 2 : -2;
        // the noise below comes on top of the clusters' own spread of 1
        a = centre + w[2 * i]!;
        b = centre + w[2 * i + 1]!;
        break;
      }
      case 'spiral': {
        const j = c === 0 ? i : i - half;
        const count = c === 0 ? half : n - half;
        const t = j / count;
        const r = RADIUS * t;
        const angle = 1.75 * 2 * Math.PI * t + Math.PI * c;
        a = r * Math.sin(angle);
        b = r * Math.cos(angle);
        break;
      }
      default:
        throw new RangeError(
          `${fn}: name must be one of ${PLANE_SETS.join(', ')}, got ${JSON.stringify(name)}`,
        );
    }
    x[2 * i] = a + noise * z[2 * i]!;
    x[2 * i + 1] = b + noise * z[2 * i + 1]!;
  }
  return { x, label };
}

/** Training and test row indices. */
export interface Split {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * Splits n rows into a training part of round(ratio·n / 100) rows (at least 1) and a test part
 * (the rest), by a permutation drawn from the key.
 *
 * @example
 * ```ts
 * const { train, test } = splitRows(key(0), 10, 70); // 7 and 3 distinct indices
 * ```
 */
export function splitRows(k: Key, n: number, ratio: number): Split {
  if (!Number.isInteger(n) || n < 2) {
    throw new RangeError(`splitRows: n must be an integer ≥ 2, got ${n}`);
  }
  if (!(Number.isFinite(ratio) && ratio > 0 && ratio < 100)) {
    throw new RangeError(`splitRows: ratio must be a percentage in (0, 100), got ${ratio}`);
  }
  const order = permutation(k, n);
  const m = Math.min(n - 1, Math.max(1, Math.round((ratio * n) / 100)));
  return { train: order.slice(0, m), test: order.slice(m) };
}

/** Rows of a row-major array with `cols` columns, in the order of `rows`. */
export function takeRows(data: ArrayLike<number>, cols: number, rows: ArrayLike<number>): number[] {
  const out = new Array<number>(rows.length * cols);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    for (let c = 0; c < cols; c++) out[r * cols + c] = data[i * cols + c]!;
  }
  return out;
}

/**
 * The centres of an nx × ny grid of cells over [x0, x1] × [y0, y1], row-major from the bottom row
 * (the layout of plot's heat maps): n·2 numbers, x₁ then x₂ of each cell.
 *
 * @example
 * ```ts
 * planeGrid([0, 1], [0, 1], 2, 2); // [0.25, 0.25, 0.75, 0.25, 0.25, 0.75, 0.75, 0.75]
 * ```
 */
export function planeGrid(
  xr: readonly [number, number],
  yr: readonly [number, number],
  nx: number,
  ny: number,
): number[] {
  const out = new Array<number>(2 * nx * ny);
  const dx = (xr[1] - xr[0]) / nx;
  const dy = (yr[1] - yr[0]) / ny;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      out[2 * (j * nx + i)] = xr[0] + (i + 0.5) * dx;
      out[2 * (j * nx + i) + 1] = yr[0] + (j + 0.5) * dy;
    }
  }
  return out;
}
