export * from './run-view';
export * from './run-view-rows';
