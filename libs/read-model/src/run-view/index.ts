export * from './run-resource';
export * from './run-view';
export * from './run-view-rows';
