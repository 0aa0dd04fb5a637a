// Test-only entry point (`@spark/event-store/testing`): nothing here is loaded by a service.
export { InMemoryEventStore } from '../in-memory';
// The shared contract suite (Jest globals), for adapter tests wherever they live.
export {
  describeEventStoreConformance,
  type ConformanceOptions,
  type EventStoreUnderTest,
} from '../conformance/describe-event-store-conformance';
