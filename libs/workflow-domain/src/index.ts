export * from './errors';
export * from './time';
export * from './shared';
export * from './expressions';
export * from './definition';
export * from './validation';
export * from './registry';
export * from './testing';
