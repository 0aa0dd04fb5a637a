export * from './service-config';
export * from './config-schema';
