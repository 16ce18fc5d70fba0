export * from './chain/index.js';
export * from './dense/index.js';
