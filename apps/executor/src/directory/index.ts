export * from './source-directory';
export * from './event-store-source-directory';
export * from './directory-resolvers';
