/** Tolerances for {@link allclose}: |actual − expected| ≤ atol + rtol·|expected|, elementwise. */
export interface Tolerance {
  rtol: number;
  atol: number;
  /** Treat NaN at the same position in both as equal (default true). */
  equalNan?: boolean;
}

export type Numeric = number | ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;

export interface AllcloseResult {
  ok: boolean;
  /** Index of the worst element (flattened), -1 if shapes differ. */
  worstIndex: number;
  actual: number;
  expected: number;
  absError: number;
  /** Human-readable reason on failure. */
  message: string;
}

function flatten(x: Numeric): number[] {
  if (typeof x === 'number') return [x];
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const v = (x as ArrayLike<unknown>)[i];
    if (typeof v === 'number') out.push(v);
    else out.push(...flatten(v as ArrayLike<number>));
  }
  return out;
}

/** Elementwise closeness in the numpy sense, with no default tolerances. */
export function allclose(actual: Numeric, expected: Numeric, tol: Tolerance): AllcloseResult {
  if (!(tol.rtol >= 0) || !(tol.atol >= 0)) {
    throw new Error(
      `allclose: tolerances must be given and non-negative, got ${JSON.stringify(tol)}`,
    );
  }
  const a = flatten(actual);
  const e = flatten(expected);
  const equalNan = tol.equalNan ?? true;
  if (a.length !== e.length) {
    return {
      ok: false,
      worstIndex: -1,
      actual: Number.NaN,
      expected: Number.NaN,
      absError: Number.POSITIVE_INFINITY,
      message: `length mismatch: actual has ${a.length} elements, expected ${e.length}`,
    };
  }
  let worst = -1;
  let worstExcess = Number.NEGATIVE_INFINITY;
  let worstErr = 0;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!;
    const ei = e[i]!;
    let excess: number;
    let err: number;
    if (Number.isNaN(ai) || Number.isNaN(ei)) {
      const same = equalNan && Number.isNaN(ai) && Number.isNaN(ei);
      err = same ? 0 : Number.POSITIVE_INFINITY;
      excess = same ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    } else if (!Number.isFinite(ai) || !Number.isFinite(ei)) {
      const same = ai === ei;
      err = same ? 0 : Number.POSITIVE_INFINITY;
      excess = same ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    } else {
      err = Math.abs(ai - ei);
      excess = err - (tol.atol + tol.rtol * Math.abs(ei));
    }
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
      worstErr = err;
    }
  }
  const ok = a.length === 0 || worstExcess <= 0;
  const wa = worst >= 0 ? a[worst]! : Number.NaN;
  const we = worst >= 0 ? e[worst]! : Number.NaN;
  return {
    ok,
    worstIndex: worst,
    actual: wa,
    expected: we,
    absError: worstErr,
    message: ok
      ? `all ${a.length} elements within rtol=${tol.rtol}, atol=${tol.atol}`
      : `element ${worst}: actual ${wa}, expected ${we}, |diff| ${worstErr} > atol ${tol.atol} + rtol ${tol.rtol}·|expected|`,
  };
}
