export * from './coalescing-publisher';
