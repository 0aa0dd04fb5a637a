export * from './langflow-handler';
