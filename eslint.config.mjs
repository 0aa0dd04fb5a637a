// Lint rules for the whole workspace. The module-boundary rule is what keeps the architecture
// honest: the domain library stays pure (no framework, driver or I/O package), and layers only
// depend downwards (docs/adr/0003-workspace-layout.md).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Packages the pure domain library may use: parsing, evaluation and in-memory caches only, no I/O. */
export const DOMAIN_ALLOWED_PACKAGES = ['jsonata', 'croner', 'yaml', 'ajv', 'ajv-formats', 'lru-cache'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.stack/**', '.nx/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    // Tells consistent-type-imports that NestJS needs value imports for injected constructor types.
    languageOptions: { parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          banTransitiveDependencies: false,
          depConstraints: [
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'],
              allowedExternalImports: DOMAIN_ALLOWED_PACKAGES,
            },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            // The typed REST client: only the gateway's public API (docs/adr/0100-cli.md).
            { sourceTag: 'type:client', onlyDependOnLibsWithTags: ['type:client'] },
            // The CLI is a client of the public API only: never Kafka, the event store or a read model.
            {
              sourceTag: 'scope:cli',
              onlyDependOnLibsWithTags: ['type:client', 'type:contracts', 'type:domain'],
            },
            // The web console too: the typed client of the public API and nothing else (issue 18).
            { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['type:client'] },
            {
              sourceTag: 'type:infra',
              onlyDependOnLibsWithTags: ['type:infra', 'type:contracts', 'type:domain'],
            },
            {
              sourceTag: 'type:platform',
              onlyDependOnLibsWithTags: ['type:platform', 'type:infra', 'type:contracts', 'type:domain'],
            },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: [
                'type:testing',
                'type:client',
                'type:platform',
                'type:infra',
                'type:contracts',
                'type:domain',
              ],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:client',
                'type:platform',
                'type:infra',
                'type:contracts',
                'type:domain',
                'type:testing',
              ],
            },
          ],
        },
      ],
    },
  },
  {
    // Specifications of the domain may use test-only packages (property-based testing).
    files: ['libs/workflow-domain/**/*.spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          depConstraints: [
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'],
              allowedExternalImports: [...DOMAIN_ALLOWED_PACKAGES, 'fast-check'],
            },
          ],
        },
      ],
    },
  },
  {
    // The CLI's tests start the services (libs/testing); the CLI itself may not.
    files: ['apps/cli/**/*.spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          depConstraints: [
            {
              sourceTag: 'scope:cli',
              onlyDependOnLibsWithTags: ['type:client', 'type:contracts', 'type:domain', 'type:testing'],
            },
          ],
        },
      ],
    },
  },
  {
    // A library's `testing` entry point (fixtures, the conformance suite, the in-memory event store)
    // is for specifications and test helpers only, never for what a service loads.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/testing/**', 'libs/*/src/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@spark/*/testing'], message: 'Test-only entry point: import it from specs only.' },
          ],
        },
      ],
    },
  },
  {
    // The console's browser tests start the services (libs/testing); the console itself may not.
    files: ['apps/console/**/*.spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          depConstraints: [
            { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['type:client', 'type:testing'] },
          ],
        },
      ],
    },
  },
  {
    // Node built-ins do I/O too; the nx rule only sees npm packages, so ban them here.
    files: ['libs/workflow-domain/**/*.ts'],
    ignores: ['libs/workflow-domain/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'fs/*',
                'net',
                'http',
                'https',
                'child_process',
                'dgram',
                'dns',
                'tls',
                'worker_threads',
                'cluster',
              ],
              message: 'The domain library is pure: no Node I/O modules.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'The domain library does no I/O.' },
        { name: 'setTimeout', message: 'Time is passed in; the domain library does not schedule.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time is passed in with the command (metadata.now).' },
        {
          object: 'Math',
          property: 'random',
          message: 'Randomness is passed in; deciders are deterministic.',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
        jest: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
