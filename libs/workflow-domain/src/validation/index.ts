export * from './validate-definition';
export { pointerToPath } from './schema-check';
