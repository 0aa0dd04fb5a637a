export * from './trigger-expression';
export * from './trigger-run-labels';
export * from './trigger-service';
export * from './trigger-store';
export * from './triggers.controller';
