import { randomUUID } from 'node:crypto';
import { startTracing } from './start-tracing';

// Sends a real span over OTLP to the Jaeger of tools/stack and finds it through Jaeger's query API.
const otlpEndpoint = process.env.SPARK_OTLP_ENDPOINT ?? 'http://127.0.0.1:14318';
const queryUrl = process.env.SPARK_JAEGER_QUERY_URL ?? 'http://127.0.0.1:16686';

interface JaegerTrace {
  traceID: string;
  spans: { spanID: string; operationName: string; tags: { key: string; value: unknown }[] }[];
}

async function findTrace(
  service: string,
  traceId: string,
  timeoutMs: number,
): Promise<JaegerTrace | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${queryUrl}/api/traces/${traceId}`);
    if (response.ok) {
      const body = (await response.json()) as { data: JaegerTrace[] };
      if (body.data?.[0]?.spans?.length) return body.data[0];
    }
    const services = (await (await fetch(`${queryUrl}/api/services`)).json()) as { data: string[] | null };
    if (!services.data?.includes(service)) await new Promise((resolve) => setTimeout(resolve, 250));
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

describe('tracing to the real Jaeger', () => {
  it('exports a span over OTLP that Jaeger serves back through its query API', async () => {
    const serviceName = `spark-int-${randomUUID().slice(0, 8)}`;
    const tracing = startTracing({ serviceName, otlpEndpoint });
    const runId = randomUUID();
    let traceId = '';
    tracing.tracer.startActiveSpan('run', { attributes: { 'spark.run.id': runId } }, (span) => {
      traceId = span.spanContext().traceId;
      span.end();
    });
    await tracing.flush();
    await tracing.shutdown();

    const found = await findTrace(serviceName, traceId, 15000);
    expect(found?.traceID).toBe(traceId);
    const span = found!.spans.find((candidate) => candidate.operationName === 'run');
    expect(span?.tags).toEqual(
      expect.arrayContaining([{ key: 'spark.run.id', type: 'string', value: runId }]),
    );
  });
});
