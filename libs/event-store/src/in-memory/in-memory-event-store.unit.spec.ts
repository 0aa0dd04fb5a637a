import { describeEventStoreConformance } from '../testing';
import { InMemoryEventStore } from './in-memory-event-store';

describeEventStoreConformance('in memory', async () => ({ store: new InMemoryEventStore() }));
