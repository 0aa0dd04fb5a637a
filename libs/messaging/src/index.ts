export * from './coalescing';
export * from './kafka';
