// Loaded with `node -r` by the built services: resolves the `@spark/<lib>` imports to the
// compiled libraries in dist/ (the TypeScript path aliases of tsconfig.base.json).
const path = require('node:path');
const { register } = require('tsconfig-paths');

register({
  baseUrl: path.resolve(__dirname, '../../dist'),
  paths: { '@spark/*': ['libs/*/src/index.js'] },
});

require('./quiet-kafkajs-timers');
