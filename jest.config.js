// One runner, three kinds of test told apart by file suffix:
//   *.unit.spec.ts  pure and fast, no I/O
//   *.int.spec.ts   one real component (Kafka, PostgreSQL, Jaeger...) from tools/stack
//   *.e2e.spec.ts   the four services as processes against the real stack
// Run through `npm run test:*`, which sets NODE_OPTIONS=--experimental-vm-modules: the
// OpenTelemetry exporters load parts of themselves with dynamic import().
const swcConfig = require('./tools/runtime/swc-config');

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swcConfig] },
  // `@spark/<lib>/testing` is a library's test-only entry point; first, as the first match wins.
  moduleNameMapper: {
    '^@spark/([^/]+)/testing$': '<rootDir>/libs/$1/src/testing/index.ts',
    '^@spark/([^/]+)$': '<rootDir>/libs/$1/src/index.ts',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.stack/'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools,bench}/**/*.unit.spec.ts'] },
    {
      ...common,
      displayName: 'int',
      setupFilesAfterEnv: ['<rootDir>/tools/runtime/jest-timeout-int.js'],
      testMatch: ['<rootDir>/{apps,libs,tools,bench}/**/*.int.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      setupFilesAfterEnv: ['<rootDir>/tools/runtime/jest-timeout-e2e.js'],
      testMatch: ['<rootDir>/{apps,libs,tools,bench}/**/*.e2e.spec.ts'],
    },
  ],
};
