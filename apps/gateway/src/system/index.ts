export * from './prometheus-text';
export * from './service-probe';
export * from './system.controller';
export * from './system.dto';
