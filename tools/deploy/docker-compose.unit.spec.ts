import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SERVICE_NAMES } from '@spark/contracts';

// No Docker engine runs here, so docker-compose.yml and the Dockerfile are checked by reading them:
// what they reference must exist and agree with what the services read.
const root = path.resolve(__dirname, '../..');

interface ComposeService {
  build?: unknown;
  image?: string;
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
}

const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');

describe('docker-compose.yml', () => {
  it('has the infrastructure and the four services', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['kafka', 'kurrentdb', 'postgres', 'jaeger', ...SERVICE_NAMES]),
    );
  });

  it.each(SERVICE_NAMES)('runs %s from the project image with its own SPARK_SERVICE and port', (service) => {
    const definition = compose.services[service]!;
    expect(definition.build).toBe('.');
    expect(definition.environment?.SPARK_SERVICE).toBe(service);
    expect(existsSync(path.join(root, 'apps', service, 'src/main.ts'))).toBe(true);
    expect(definition.environment?.SPARK_KAFKA_BROKERS).toBe('kafka:9092');
  });

  it('depends only on services it defines, and binds host ports to loopback', () => {
    for (const [name, definition] of Object.entries(compose.services)) {
      for (const dependency of Object.keys(definition.depends_on ?? {})) {
        expect([name, dependency, Object.keys(compose.services).includes(dependency)]).toEqual([
          name,
          dependency,
          true,
        ]);
      }
      for (const port of definition.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('mounts only files that exist, and declares its named volumes', () => {
    for (const definition of Object.values(compose.services)) {
      for (const volume of definition.volumes ?? []) {
        const [source] = volume.split(':');
        if (source!.startsWith('./')) expect(existsSync(path.join(root, source!))).toBe(true);
        else expect(Object.keys(compose.volumes)).toContain(source);
      }
    }
  });

  it('creates topics from the same list tools/stack uses', () => {
    expect(compose.services['kafka-topics']!.volumes).toContain('./tools/stack.d/topics:/topics:ro');
  });
});

describe('Dockerfile', () => {
  it('builds with the Node version pinned in .node-version', () => {
    const pinned = readFileSync(path.join(root, '.node-version'), 'utf8').trim();
    expect(dockerfile).toContain(`ARG NODE_IMAGE=node:${pinned}-bookworm-slim`);
  });

  it('starts the service the way tools/services does', () => {
    expect(dockerfile).toContain(
      '-r ./tools/runtime/register-paths.js dist/apps/${SPARK_SERVICE}/src/main.js',
    );
    expect(existsSync(path.join(root, 'tools/runtime/register-paths.js'))).toBe(true);
  });

  it('is multi-stage: dependencies, build, and a runtime without dev dependencies', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(3);
    expect(dockerfile).toContain('npm install --omit=dev');
  });
});
