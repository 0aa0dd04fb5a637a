export * from './chromium';
export * from './expect-page';
