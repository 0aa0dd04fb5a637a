/**
 * Vegeta as bench/api's open-loop load generator: `vegeta attack` at a fixed rate for a fixed time
 * (requests go out on schedule whether or not earlier ones were answered), then `vegeta encode` to
 * JSON lines, one per request.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface VegetaResult {
  /** When the request was sent (epoch ms). */
  sentAt: number;
  /** When the response arrived (epoch ms). */
  answeredAt: number;
  latencyMs: number;
  /** HTTP status; 0 when no response (the error says why). */
  code: number;
  error: string;
  body: string;
}

export interface Attack {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  ratePerSecond: number;
  seconds: number;
}

/** vegeta's JSON result: timestamp is RFC 3339 with nanoseconds, latency in nanoseconds, body base64. */
interface EncodedResult {
  code: number;
  timestamp: string;
  latency: number;
  error: string;
  body: string | null;
}

export function parseResults(jsonLines: string): VegetaResult[] {
  return jsonLines
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      const result = JSON.parse(line) as EncodedResult;
      const sentAt = Date.parse(result.timestamp) + subMillis(result.timestamp);
      const latencyMs = result.latency / 1e6;
      return {
        sentAt,
        answeredAt: sentAt + latencyMs,
        latencyMs,
        code: result.code,
        error: result.error,
        body: result.body ? Buffer.from(result.body, 'base64').toString('utf8') : '',
      };
    });
}

/** Date.parse keeps milliseconds only; the digits after them, as a fraction of a millisecond. */
function subMillis(timestamp: string): number {
  const fraction = /\.(\d+)/.exec(timestamp)?.[1] ?? '';
  return fraction.length > 3 ? Number(`0.${fraction.slice(3)}`) : 0;
}

export async function attack(vegeta: string, workDir: string, options: Attack): Promise<VegetaResult[]> {
  const name = `rate-${options.ratePerSecond}`;
  const bodyFile = path.join(workDir, `${name}.body.json`);
  const targetsFile = path.join(workDir, `${name}.targets`);
  const resultsFile = path.join(workDir, `${name}.bin`);
  writeFileSync(bodyFile, JSON.stringify(options.body));
  writeFileSync(
    targetsFile,
    [
      `POST ${options.url}`,
      ...Object.entries(options.headers).map(([key, value]) => `${key}: ${value}`),
      `@${bodyFile}`,
      '',
    ].join('\n'),
  );
  await run(vegeta, [
    'attack',
    `-targets=${targetsFile}`,
    `-rate=${options.ratePerSecond}/s`,
    `-duration=${options.seconds}s`,
    '-timeout=30s',
    '-max-body=-1',
    `-output=${resultsFile}`,
  ]);
  const { stdout } = await run(vegeta, ['encode', '--to', 'json', resultsFile], {
    maxBuffer: 1024 * 1024 * 1024,
  });
  return parseResults(stdout);
}
