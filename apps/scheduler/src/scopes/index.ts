export * from './scope-coordinator';
