export * from './directory-publisher';
