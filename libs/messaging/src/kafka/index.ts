export * from './kafka-messaging';
export * from './message';
export * from './settings';
export { isDependencyUnavailable } from './dependency-errors';
export { removePredecessors, removePredecessorsOnStart, type RemovedMember } from './remove-predecessors';
