export * from './pool';
export * from './migrations';
export * from './statements';
export * from './transaction';
