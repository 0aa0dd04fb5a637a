import { describeEventStoreConformance } from '../conformance/describe-event-store-conformance';
import { createTestPostgresStore } from './postgres-test-store';

describeEventStoreConformance('PostgreSQL', () => createTestPostgresStore());
