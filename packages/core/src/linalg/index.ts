export {
  at,
  identityMatrix,
  isMatrix,
  type Matrix,
  matmul,
  matrix,
  matrixFromRows,
  matvec,
  row,
  toRows,
} from './matrix.js';
export {
  isLowerTriangular,
  lowerBidiagonal,
  residualNorm,
  type SolveLowerTriangularOptions,
  solveLowerBidiagonal,
  solveLowerTriangular,
} from './triangular.js';
