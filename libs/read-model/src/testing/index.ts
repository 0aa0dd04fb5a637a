// Test-only entry point (`@spark/read-model/testing`): nothing here is loaded by a service.
export * from './event-fixtures';
