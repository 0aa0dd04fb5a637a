export * from './timeline-model';
export * from './timeline-view';
