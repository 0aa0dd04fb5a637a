export * from './recording-http-server';
export * from './dispatches';
