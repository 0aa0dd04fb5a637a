import { Agent, request as httpRequest, type ClientRequest } from 'node:http';
import { type Socket } from 'node:net';
import { EngineHarness } from '@spark/testing';

// Load shedding on the real gateway: with room for one request, a second one gets 503 with Retry-After
// at once while the first is still being worked on, health probes still answer, and the place comes
// back once the first is answered.

describe('gateway admission control (SPARK_GATEWAY_MAX_IN_FLIGHT)', () => {
  let engine: EngineHarness;
  let port = 0;

  beforeAll(async () => {
    engine = await EngineHarness.start({ services: ['gateway'], env: { SPARK_GATEWAY_MAX_IN_FLIGHT: '1' } });
    port = engine.ports.gateway!;
  });

  afterAll(async () => {
    await engine?.stop();
  });

  /** A POST whose body is announced but not sent yet: the gateway holds it in flight until it ends. */
  const heldRequest = (): { request: ClientRequest; answered: Promise<number> } => {
    const request = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/v1/runs',
      headers: { 'content-type': 'application/json', 'content-length': '2' },
    });
    const answered = new Promise<number>((resolve, reject) => {
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
    });
    request.flushHeaders();
    return { request, answered };
  };

  it('answers 503 with Retry-After past its bound, lets probes through, and admits again once a request ends', async () => {
    const held = heldRequest();
    // The held request reaches the gateway shortly; until then a second one may still be admitted.
    let shed: Response | undefined;
    for (let tries = 0; tries < 50 && !shed; tries++) {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/workflows`);
      if (response.status === 503) shed = response;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(shed?.status).toBe(503);
    expect(shed!.headers.get('retry-after')).toBe('1');
    expect(shed!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await shed!.json()).toMatchObject({
      type: 'https://spark.dev/problems/unavailable',
      status: 503,
      instance: '/api/v1/workflows',
    });
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);

    held.request.end('{}');
    // No API key: the held request itself is refused with 401, which ends it.
    expect(await held.answered).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/workflows`)).status).toBe(401);
  });

  it('keeps an idle keep-alive connection open past the default 5 s of Node, so a client reusing it meets no reset', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<Socket>((resolve, reject) => {
        const request = httpRequest({ host: '127.0.0.1', port, path: '/health/live', agent }, (response) => {
          response.resume();
          response.on('end', () => resolve(request.socket as Socket));
        });
        request.on('error', reject);
        request.end();
      });
    try {
      const first = await get();
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect(await get()).toBe(first);
    } finally {
      agent.destroy();
    }
  }, 20_000);
});
