export * from './errors/event-store-errors';
export * from './port/event-store';
export * from './port/events';
export * from './port/expected-revision';
export { assertJson } from './port/validation';
export {
  PostgresEventStore,
  MAX_EVENTS_PER_APPEND,
  type PostgresEventStoreOptions,
} from './postgres/postgres-event-store';
export { migrateEventStoreSchema } from './postgres/migrate';
export { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentdb/kurrentdb-event-store';
