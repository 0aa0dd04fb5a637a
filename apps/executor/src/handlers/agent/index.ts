export * from './agent-handler';
