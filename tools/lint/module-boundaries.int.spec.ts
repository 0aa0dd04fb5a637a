import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

// The architecture rule of docs/adr/0003: the domain library imports no framework, driver or
// I/O package. This proves the lint really fails when it does (the rule is not silently off).
const root = path.resolve(__dirname, '../..');

describe('module boundaries', () => {
  beforeAll(() => {
    // The nx rule reads the cached project graph and skips itself without one.
    execFileSync('npx', ['nx', 'show', 'projects'], {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
  }, 120000);

  // ESLint runs as its own process, exactly as `npm run lint` does (its flat config is ESM,
  // which Jest's module sandbox cannot load).
  function lint(code: string, file: string): string[] {
    const eslint = path.join(root, 'node_modules/.bin/eslint');
    const result = spawnSync(eslint, ['--stdin', '--stdin-filename', file, '--format', 'json'], {
      cwd: root,
      input: code,
      encoding: 'utf8',
    });
    const [report] = JSON.parse(result.stdout) as { messages: { ruleId: string; message: string }[] }[];
    return report!.messages.map((message) => `${message.ruleId}: ${message.message}`);
  }

  const lintDomainFile = async (code: string) => lint(code, 'libs/workflow-domain/src/example.ts');

  it.each([
    ["import { Injectable } from '@nestjs/common';", '@nx/enforce-module-boundaries'],
    ["import { Kafka } from 'kafkajs';", '@nx/enforce-module-boundaries'],
    ["import { Pool } from 'pg';", '@nx/enforce-module-boundaries'],
    ["import { KafkaMessaging } from '@spark/messaging';", '@nx/enforce-module-boundaries'],
    ["import { readFileSync } from 'node:fs';", 'no-restricted-imports'],
  ])('rejects `%s` in the domain library', async (importLine, rule) => {
    const messages = await lintDomainFile(
      `${importLine}\nexport const used = [${importLine.match(/{ (\w+) }/)![1]}];\n`,
    );
    expect(messages.some((message) => message.startsWith(rule))).toBe(true);
  });

  it('rejects Date.now() in the domain library: time is passed in', async () => {
    const messages = await lintDomainFile('export const now = () => Date.now();\n');
    expect(messages.some((message) => message.startsWith('no-restricted-properties'))).toBe(true);
  });

  it('accepts the packages the domain may use', async () => {
    const messages = await lintDomainFile(
      "import jsonata from 'jsonata';\nexport const parse = (text: string) => jsonata(text);\n",
    );
    expect(messages).toEqual([]);
  });

  it('lets an app import the framework', async () => {
    const messages = lint(
      "import { Injectable } from '@nestjs/common';\nexport const used = [Injectable];\n",
      'apps/scheduler/src/example.ts',
    );
    expect(messages).toEqual([]);
  });
});
