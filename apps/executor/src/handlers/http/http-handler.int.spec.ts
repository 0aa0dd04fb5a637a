import type { ServerResponse } from 'node:http';
import { CircuitBreakers } from '../../runtime';
import { aContext, aDispatch, json, RecordingHttpServer } from '../../test-support';
import { OutboundHttp } from '../outbound';
import { HttpHandler } from './http-handler';

// Status rules are what this suite is about: the circuit never opens here.
const generousCircuit = {
  errorThresholdPercentage: 100,
  volumeThreshold: 1000,
  rollingCountTimeoutMs: 10_000,
  resetTimeoutMs: 1000,
};

describe('http handler against a local server', () => {
  const target = new RecordingHttpServer((request, response) => answerByPath(request.path, response));
  let baseUrl: string;
  const circuits = new CircuitBreakers(generousCircuit);
  const handler = new HttpHandler(new OutboundHttp(circuits));

  beforeAll(async () => {
    baseUrl = await target.start();
  });
  afterAll(async () => {
    circuits.shutdown();
    await target.stop();
  });

  const call = (config: Record<string, unknown>, signal?: AbortSignal) => {
    const dispatch = aDispatch({ runId: 'run-h', stepId: 'call', attempt: 3, handler: 'http', config });
    return handler.execute(dispatch, aContext(dispatch, signal));
  };

  it('sends method, query, headers, a JSON body and the Idempotency-Key; parses a JSON answer', async () => {
    const output = await call({
      method: 'post',
      url: `${baseUrl}/orders?existing=1`,
      query: { tag: ['a', 'b'], page: 2 },
      headers: { 'X-Tenant': 'acme', 'Idempotency-Key': 'forged' },
      body: { sku: 'x', qty: 2 },
    });
    const request = target.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/orders');
    expect(request.search).toBe('?existing=1&tag=a&tag=b&page=2');
    expect(request.headers['x-tenant']).toBe('acme');
    expect(request.headers['idempotency-key']).toBe('run-h:call:3');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ sku: 'x', qty: 2 });
    expect(output).toEqual({
      status: 201,
      headers: { 'content-type': 'application/json', location: '/orders/1' },
      body: { id: 1 },
    });
  });

  it('sends a string body as is and returns a text answer as text', async () => {
    const output = await call({ method: 'PUT', url: `${baseUrl}/text`, body: 'plain words' });
    expect(target.requests.at(-1)!.body).toBe('plain words');
    expect(target.requests.at(-1)!.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(output).toMatchObject({ status: 200, body: 'just text' });
  });

  it.each([
    ['/status/404', 'HTTP_404', 'non_retryable'],
    ['/status/400', 'HTTP_400', 'non_retryable'],
    ['/status/408', 'HTTP_408', 'retryable'],
    ['/status/429', 'HTTP_429', 'retryable'],
    ['/status/503', 'HTTP_503', 'retryable'],
  ])('classifies %s as %s, %s by default', async (path, code, classification) => {
    await expect(call({ url: `${baseUrl}${path}` })).rejects.toMatchObject({
      code,
      classification,
      details: { status: Number(code.slice(5)) },
    });
  });

  it("hands a retryable answer's Retry-After to the retry, and none when the answer has none", async () => {
    await expect(call({ url: `${baseUrl}/busy` })).rejects.toMatchObject({
      code: 'HTTP_429',
      retryAfterMs: 7000,
    });
    const failure = await call({ url: `${baseUrl}/status/503` }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'HTTP_503' });
    expect((failure as { retryAfterMs?: number }).retryAfterMs).toBeUndefined();
  });

  it('applies configured success and non-retryable statuses', async () => {
    await expect(call({ url: `${baseUrl}/status/404`, successStatus: ['2xx', 404] })).resolves.toMatchObject({
      status: 404,
    });
    await expect(call({ url: `${baseUrl}/status/200`, successStatus: '201-204' })).rejects.toMatchObject({
      code: 'HTTP_200',
    });
    await expect(call({ url: `${baseUrl}/status/503`, nonRetryableStatus: ['5xx'] })).rejects.toMatchObject({
      classification: 'non_retryable',
    });
    await expect(call({ url: `${baseUrl}/status/404`, nonRetryableStatus: [] })).rejects.toMatchObject({
      classification: 'retryable',
    });
  });

  it('reports a refused connection as a retryable NETWORK_ERROR', async () => {
    await expect(call({ url: 'http://127.0.0.1:1/nothing-listens' })).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      classification: 'retryable',
    });
  });

  it('sends once more, with the same Idempotency-Key, when the connection broke before any answer', async () => {
    const before = target.requests.length;
    await expect(call({ method: 'POST', url: `${baseUrl}/drop-once` })).resolves.toMatchObject({
      status: 200,
      body: { again: true },
    });
    const sent = target.requests.slice(before).map((request) => request.headers['idempotency-key']);
    expect(sent).toEqual(['run-h:call:3', 'run-h:call:3']);

    const again = target.requests.length;
    await expect(call({ method: 'POST', url: `${baseUrl}/drop-always` })).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
    });
    expect(target.requests.length - again).toBe(2);
  });

  it('times a slow request out after config.timeoutMs', async () => {
    await expect(call({ url: `${baseUrl}/slow`, timeoutMs: 50 })).rejects.toMatchObject({
      code: 'TIMEOUT',
      classification: 'timeout',
    });
  });

  it('rejects a config that is not a request, non-retryably', async () => {
    await expect(call({ url: 'not a url' })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      classification: 'non_retryable',
    });
    await expect(call({ url: `${baseUrl}/x`, successStatus: 'sometimes' })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    });
  });
});

let dropped = 0;

function answerByPath(path: string, response: ServerResponse) {
  // The connection breaks before any answer, as a pooled socket the server closed does.
  if (path === '/drop-always' || (path === '/drop-once' && dropped++ === 0)) {
    response.socket?.destroy();
    return;
  }
  if (path === '/drop-once') return json(response, 200, { again: true });
  if (path === '/orders') {
    response.writeHead(201, {
      'content-type': 'application/json',
      location: '/orders/1',
      'x-internal': 'dropped',
    });
    response.end(JSON.stringify({ id: 1 }));
    return;
  }
  if (path === '/text') {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('just text');
    return;
  }
  if (path === '/busy') {
    response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
    response.end('{}');
    return;
  }
  if (path === '/slow') return void setTimeout(() => json(response, 200, {}), 2000).unref();
  const status = /^\/status\/(\d{3})$/.exec(path);
  return json(response, status ? Number(status[1]) : 404, { path });
}
