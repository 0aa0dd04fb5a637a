export { json, RecordingHttpServer, type RecordedRequest, type Responder } from '@spark/testing';
export * from './dispatches';
