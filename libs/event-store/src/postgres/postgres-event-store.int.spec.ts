import { describeEventStoreConformance } from '../testing';
import { createTestPostgresStore } from './postgres-test-store';

describeEventStoreConformance('PostgreSQL', () => createTestPostgresStore());
