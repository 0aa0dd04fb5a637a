export * from './rate-limit-coordinator';
export * from './rate-limit-effects';
