export {
  at,
  identityMatrix,
  type Matrix,
  matmul,
  matrix,
  matrixFromRows,
  matvec,
  row,
  toRows,
} from './matrix.js';
