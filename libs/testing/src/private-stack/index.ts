export * from './private-stack';
