export * from './start-control-coordinator';
export * from './start-control-effects';
