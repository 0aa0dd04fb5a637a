export { EventStoreDbDouble } from './eventstore-double';
export { InMemoryLog, type StoredEvent } from './in-memory-log';
