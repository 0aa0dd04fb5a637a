export * from './hooks.controller';
export * from './webhook-deliveries';
export * from './webhook-signature';
export * from './webhook-replay-guard';
