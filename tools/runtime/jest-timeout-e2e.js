// E2E tests start services as processes (Jest ignores testTimeout inside projects).
jest.setTimeout(180_000);
require('./quiet-kafkajs-timers');
