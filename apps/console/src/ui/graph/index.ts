export * from './workflow-graph';
export * from './layout';
export * from './dag-view';
