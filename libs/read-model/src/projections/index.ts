export * from './read-model-change';
export * from './project-event';
export * from './projection-applier';
export * from './read-model-schema';
export * from './coalesce-changes';
