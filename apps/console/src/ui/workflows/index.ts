export * from './workflows-page';
export * from './start-form';
export * from './input-fields';
