export * from './kafka-trigger-evaluator';
export * from './kafka-trigger-runner';
