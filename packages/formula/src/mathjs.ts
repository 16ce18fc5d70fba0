/**
 * The mathjs instance of the formula parser, built from only what parsing needs: mathjs's own
 * custom-bundle API (`create` with `parseDependencies`) on its number-only entry (`mathjs/number`,
 * no BigNumber, Complex, Fraction, Unit or matrices). Formulas are evaluated by this package's tree
 * walker over plain numbers, so nothing else of mathjs is used. In a browser bundle this is about
 * 40 KB gzipped instead of about 190 KB for `import { parse } from 'mathjs'`.
 */
import { create, type MathNode, parseDependencies } from 'mathjs/number';

const math = create({ parseDependencies });

/** mathjs's expression parser (text → syntax tree); the instance's only function. */
export const parse: (expr: string) => MathNode = (expr) => math.parse(expr);

export type { MathNode };
