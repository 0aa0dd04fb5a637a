export * from './workflow-versions';
