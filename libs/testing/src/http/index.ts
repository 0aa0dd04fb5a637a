export * from './recording-http-server';
