export * from './client';
export * from './problem';
export * from './sse';
export type { components, operations, paths } from './generated/spark-api';
