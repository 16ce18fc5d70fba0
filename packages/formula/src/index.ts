export {
  FORMULA_FUNCTIONS,
  type Formula,
  FormulaError,
  parseFormula,
  type SampledTarget,
  sampleFormula,
} from './formula.js';
