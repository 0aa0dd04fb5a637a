export * from './app';
export * from './sign-in';
