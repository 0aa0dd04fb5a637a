export * from './admin-page';
