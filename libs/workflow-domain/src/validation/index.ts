export * from './validate-definition';
export { pointerToPath } from './schema-check';
export { checkRunInput } from './run-input';
