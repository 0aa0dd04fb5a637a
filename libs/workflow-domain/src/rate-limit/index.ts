export * from './commands';
export { decideRateLimit, rateLimitReason } from './decide';
export * from './events';
export { evolveRateLimit } from './evolve';
export * from './rate-limit-decider';
export * from './state';
