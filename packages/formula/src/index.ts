export {
  FORMULA_FUNCTIONS,
  type Formula,
  FormulaError,
  parseFormula,
  quoteText,
  type SampledTarget,
  sampleFormula,
} from './formula.js';
