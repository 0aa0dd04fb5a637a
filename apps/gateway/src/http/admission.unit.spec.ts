import { EventEmitter } from 'node:events';
import { type NextFunction, type Request, type Response } from 'express';
import { admissionControl } from './admission';

/** Just enough of express's response: what the shedding answer calls, and the events that end a request. */
class FakeResponse extends EventEmitter {
  statusCode = 200;
  headers: Record<string, string> = {};
  body?: string;
  status(code: number) {
    this.statusCode = code;
    return this;
  }
  set(name: string, value: string) {
    this.headers[name] = value;
    return this;
  }
  type(value: string) {
    this.headers['content-type'] = value;
    return this;
  }
  send(body: string) {
    this.body = body;
    this.emit('finish');
    return this;
  }
}

const request = (path: string) => ({ path, originalUrl: path, url: path }) as unknown as Request;

function arrive(admission: ReturnType<typeof admissionControl>, path = '/api/v1/runs') {
  const response = new FakeResponse();
  let admitted = false;
  admission(request(path), response as unknown as Response, (() => (admitted = true)) as NextFunction);
  return { response, admitted };
}

describe('admissionControl', () => {
  it('answers requests past the bound at once with 503, Retry-After and a problem body, until one ends', () => {
    const admission = admissionControl(2, 3);
    const first = arrive(admission);
    const second = arrive(admission);
    const third = arrive(admission);
    expect([first.admitted, second.admitted, third.admitted]).toEqual([true, true, false]);
    expect(third.response.statusCode).toBe(503);
    expect(third.response.headers['retry-after']).toBe('3');
    expect(third.response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(third.response.body!)).toMatchObject({
      type: 'https://spark.dev/problems/unavailable',
      status: 503,
      instance: '/api/v1/runs',
    });
    expect(JSON.parse(third.response.body!).detail).toContain('SPARK_GATEWAY_MAX_IN_FLIGHT');

    // An answer sent, or a connection closed (finish and close both firing counts once), frees a place.
    first.response.emit('finish');
    first.response.emit('close');
    expect(arrive(admission).admitted).toBe(true);
    expect(arrive(admission).admitted).toBe(false);
    second.response.emit('close');
    expect(arrive(admission).admitted).toBe(true);
  });

  it('always lets health probes and open event streams through, without counting them', () => {
    const admission = admissionControl(1);
    const watches = [1, 2, 3].map(() => arrive(admission, '/api/v1/runs/r-1/events'));
    expect(watches.every((watch) => watch.admitted)).toBe(true);
    expect(arrive(admission).admitted).toBe(true);
    expect(arrive(admission, '/health/ready').admitted).toBe(true);
    expect(arrive(admission, '/health').admitted).toBe(true);
    expect(arrive(admission).admitted).toBe(false);
  });
});
