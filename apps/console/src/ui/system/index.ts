export * from './system-page';
