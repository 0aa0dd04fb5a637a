export * from './batching';
export * from './bootstrap';
export * from './config';
export * from './health';
export * from './logging';
export * from './leadership';
export * from './metrics';
export * from './secrets';
