export * from './browser';
export * from './expect-page';
