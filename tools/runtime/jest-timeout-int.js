// Int tests wait on real brokers and databases (Jest ignores testTimeout inside projects).
jest.setTimeout(60_000);
require('./quiet-kafkajs-timers');
