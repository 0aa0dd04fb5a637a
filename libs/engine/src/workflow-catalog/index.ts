export * from './workflow-catalog';
