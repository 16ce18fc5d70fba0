import { allclose, type Tolerance } from './allclose.js';

/** Central finite-difference gradient of a scalar function: (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h. */
export function numericGradient(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  h = 1e-6,
): Float64Array {
  const xp = Float64Array.from(x);
  const g = new Float64Array(xp.length);
  for (let i = 0; i < xp.length; i++) {
    const xi = xp[i]!;
    const step = h * Math.max(1, Math.abs(xi));
    xp[i] = xi + step;
    const fp = f(xp);
    xp[i] = xi - step;
    const fm = f(xp);
    xp[i] = xi;
    g[i] = (fp - fm) / (2 * step);
  }
  return g;
}

/** Central finite-difference derivative of a scalar function of one variable. */
export function numericDerivative(f: (x: number) => number, x: number, h = 1e-6): number {
  const step = h * Math.max(1, Math.abs(x));
  return (f(x + step) - f(x - step)) / (2 * step);
}

export interface GradcheckResult {
  ok: boolean;
  analytic: Float64Array;
  numeric: Float64Array;
  message: string;
}

/** Compares an analytic gradient with central finite differences at x, within the given tolerance. */
export function gradcheck(
  f: (x: Float64Array) => number,
  grad: (x: Float64Array) => ArrayLike<number>,
  x: ArrayLike<number>,
  tol: Tolerance & { h?: number },
): GradcheckResult {
  const analytic = Float64Array.from(grad(Float64Array.from(x)));
  const numeric = numericGradient(f, x, tol.h ?? 1e-6);
  const r = allclose(analytic, numeric, tol);
  return { ok: r.ok, analytic, numeric, message: r.message };
}
