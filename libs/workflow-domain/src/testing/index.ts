// Test-only entry point (`@spark/workflow-domain/testing`): specifications import it; services never do.
export * from './given-when-then';
export * from './run-harness';
export * from './replay-golden-stream';
