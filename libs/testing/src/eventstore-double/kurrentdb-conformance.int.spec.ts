// The KurrentDB adapter's conformance runs here, beside the double, because @spark/event-store may
// not depend on @spark/testing (the double is test-only).
import { KurrentDbEventStore } from '@spark/event-store';
import { describeEventStoreConformance } from '@spark/event-store/testing';
import { EventStoreDbDouble } from './eventstore-double';

describeEventStoreConformance('KurrentDB adapter against the wire-level double', async () => {
  const double = await EventStoreDbDouble.start();
  return {
    store: new KurrentDbEventStore({ connectionString: double.connectionString }),
    dispose: () => double.stop(),
  };
});

const eventStoreUrl = process.env.EVENTSTORE_URL;
if (eventStoreUrl) {
  describeEventStoreConformance('KurrentDB adapter against a real server', async () => ({
    store: new KurrentDbEventStore({ connectionString: eventStoreUrl }),
  }));
} else {
  describe('event store conformance: KurrentDB adapter against a real server', () => {
    it.skip('skipped: set EVENTSTORE_URL (e.g. kurrentdb://127.0.0.1:2113?tls=false) to run it; see libs/event-store/README.md', () =>
      undefined);
  });
}
