import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ShopRequest {
  path: string;
  idempotencyKey: string;
  status: number;
}

/** The demo's stand-in for a shop's API: /charge answers 503 to its first call. */
export async function startShop(): Promise<{ server: Server; url: string; requests: ShopRequest[] }> {
  const requests: ShopRequest[] = [];
  let charges = 0;
  const server = createServer((request, response) => {
    const idempotencyKey = String(request.headers['idempotency-key'] ?? '');
    request.resume();
    request.on('end', () => {
      const pathName = new URL(request.url ?? '/', 'http://shop').pathname;
      const status = pathName === '/charge' && ++charges === 1 ? 503 : 200;
      requests.push({ path: pathName, idempotencyKey, status });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(
          status === 200
            ? { ok: true, at: pathName, reference: randomUUID().slice(0, 8) }
            : { error: 'try again' },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}
