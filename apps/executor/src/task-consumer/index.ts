export * from './parse-dispatch';
export * from './kafka-result-sink';
export * from './task-consumer';
export * from './cancellation-listener';
