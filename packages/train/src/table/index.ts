export { isMissing, parseCell, sortLabels } from './cells.js';
export {
  type ColumnRef,
  DEFAULT_MAX_TABLE_BYTES,
  previewTable,
  type ReadTableOptions,
  readTable,
  readTableFrom,
  type TableData,
  type TablePreview,
  type TableTask,
} from './read.js';
export { sniffDelimiter, type TableDelimiter } from './sniff.js';
export {
  formatTable,
  type PredictionTable,
  type PredictionTableInput,
  predictionTable,
  tableRecords,
} from './write.js';
