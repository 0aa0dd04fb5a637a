import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from '@spark/contracts';
import { type NextFunction, type Request, type Response } from 'express';

/** Requests that are no work waiting for an answer: probes, and event streams once they are open. */
const EXEMPT = [/^\/health(\/|$)/, /^\/api\/v1\/runs\/[^/]+\/events$/];

/**
 * Load shedding: bounds the HTTP requests the gateway is working on at once. Past its capacity an
 * open-loop load only queues requests until their clients time out; the excess is answered at once
 * with 503, a problem body and Retry-After, before its body is read, and the requests admitted keep
 * their latency. A request counts from its arrival until its answer has been sent or its connection
 * has closed.
 */
export function admissionControl(
  maxInFlight: number,
  retryAfterSeconds = 1,
): (request: Request, response: Response, next: NextFunction) => void {
  let inFlight = 0;
  return function admission(request, response, next) {
    if (EXEMPT.some((pattern) => pattern.test(request.path))) return next();
    if (inFlight >= maxInFlight) {
      // The body is not parsed; Node discards it once the answer is sent, so the connection stays usable
      // (closing it with the body unread would reset it, and the client would never see this answer).
      response
        .status(503)
        .set('retry-after', String(retryAfterSeconds))
        .type(PROBLEM_CONTENT_TYPE)
        .send(
          JSON.stringify({
            type: PROBLEM_TYPES.unavailable,
            title: 'Gateway at capacity',
            status: 503,
            detail: `the gateway is already working on ${maxInFlight} requests (SPARK_GATEWAY_MAX_IN_FLIGHT); retry after ${retryAfterSeconds} s`,
            instance: request.originalUrl ?? request.url,
          }),
        );
      return;
    }
    inFlight += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      inFlight -= 1;
    };
    response.once('finish', release);
    response.once('close', release);
    next();
  };
}
