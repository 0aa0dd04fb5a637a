import { type IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import {
  type HookAccepted,
  PROBLEM_TYPES,
  runIdFor,
  type RunStatusName,
  WEBHOOK_HEADERS,
  type WebhookTriggerWithSecret,
} from '@spark/contracts';
import { NotFoundError } from '@spark/workflow-domain';
import { ProblemException } from '../problems/problem';
import { RunService } from '../runs/run-service';
import { TriggerExpression, TriggerExpressionError, TriggerStore, triggerRunLabels } from '../triggers';
import { WebhookReplayGuard } from './webhook-replay-guard';
import { verifyWebhookSignature } from './webhook-signature';

/** An inbound request as the endpoint received it, body unparsed (the signature covers its bytes). */
export interface WebhookRequest {
  headers: IncomingHttpHeaders;
  query: Record<string, unknown>;
  rawBody: Buffer;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DELIVERY_ID = /^[\x21-\x7e]{1,200}$/;

const single = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/**
 * Turns a signed webhook delivery into a run: verify, then dedupe by delivery id (the run id derives from
 * it, so a replay names the run it already started), then map the input and start like a REST start.
 */
@Injectable()
export class WebhookDeliveries {
  constructor(
    @Inject(TriggerStore) private readonly triggers: TriggerStore,
    private readonly runs: RunService,
    private readonly replays: WebhookReplayGuard,
  ) {}

  async deliver(triggerId: string, request: WebhookRequest, nowSeconds: number): Promise<HookAccepted> {
    const trigger = UUID.test(triggerId) ? await this.triggers.webhookWithSecret(triggerId) : undefined;
    // Ids are random UUIDs: answering 404 tells a sender its URL is wrong without helping anyone guess.
    if (!trigger) throw ProblemException.notFound(`There is no webhook trigger "${triggerId}"`);
    const verdict = verifyWebhookSignature(
      trigger.secret,
      {
        timestamp: single(request.headers[WEBHOOK_HEADERS.timestamp]),
        signature: single(request.headers[WEBHOOK_HEADERS.signature]),
        body: request.rawBody,
      },
      { nowSeconds, toleranceSeconds: trigger.toleranceSeconds },
    );
    if (!verdict.valid)
      throw new ProblemException({
        type: PROBLEM_TYPES.unauthenticated,
        title: 'Unauthenticated',
        status: 401,
        detail: verdict.reason,
        errors: [{ path: `header:${verdict.header}`, message: verdict.reason }],
      });
    const claimedDeliveryId = deliveryIdOf(single(request.headers[WEBHOOK_HEADERS.delivery]));
    if (!trigger.enabled)
      throw ProblemException.illegalState(`The trigger "${trigger.id}" is paused`, 'TRIGGER_PAUSED');
    // The signature does not cover the delivery id: a signed request seen before is that delivery.
    const timestamp = Number(single(request.headers[WEBHOOK_HEADERS.timestamp]));
    const deliveryId = await this.replays.firstDeliveryOf(
      trigger.id,
      single(request.headers[WEBHOOK_HEADERS.signature])!,
      claimedDeliveryId,
      new Date((timestamp + trigger.toleranceSeconds + 1) * 1000),
    );

    const idempotencyKey = `webhook:${trigger.id}:${deliveryId}`;
    const runId = runIdFor(trigger.workflow.name, idempotencyKey);
    const existing = await this.statusOf(runId);
    if (existing) return { runId, status: existing, duplicate: true, location: `/api/v1/runs/${runId}` };

    const input = await this.input(trigger, request);
    const accepted = await this.runs.start(
      {
        workflow: trigger.workflow.name,
        ...(trigger.workflow.version === undefined ? {} : { version: trigger.workflow.version }),
        input,
        idempotencyKey,
        labels: triggerRunLabels(trigger.id),
      },
      {
        // The sender's trace, when it sent W3C trace headers, continues through the run.
        traceparent: single(request.headers.traceparent),
        tracestate: single(request.headers.tracestate),
      },
    );
    return { runId: accepted.runId, status: accepted.status, duplicate: false, location: accepted.location };
  }

  private async statusOf(runId: string): Promise<RunStatusName | undefined> {
    try {
      return (await this.runs.get(runId)).status;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  private async input(trigger: WebhookTriggerWithSecret, request: WebhookRequest): Promise<unknown> {
    const body = parseBody(request.rawBody, single(request.headers['content-type']));
    if (trigger.input === undefined) return body;
    try {
      const mapped = await TriggerExpression.compile('$.input', trigger.input).evaluate({
        headers: request.headers,
        body,
        query: request.query,
      });
      return mapped ?? null;
    } catch (error) {
      if (!(error instanceof TriggerExpressionError)) throw error;
      throw ProblemException.unprocessable(
        `The trigger's input expression cannot map this delivery: ${error.message}`,
        [{ path: 'trigger:$.input', message: error.message }],
      );
    }
  }
}

function deliveryIdOf(header: string | undefined): string {
  if (header === undefined || !DELIVERY_ID.test(header))
    throw ProblemException.badRequest(
      'The X-Spark-Delivery header (the delivery id, 1-200 visible ASCII characters) is required',
      [{ path: 'header:X-Spark-Delivery', message: 'required: 1-200 visible ASCII characters' }],
    );
  return header;
}

/** JSON when declared (or undeclared), form fields as an object, anything else as text; no body is null. */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return null;
  const text = raw.toString('utf8');
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  if (mediaType !== undefined && mediaType !== 'application/json' && !mediaType.endsWith('+json'))
    return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProblemException({
      type: PROBLEM_TYPES.malformedBody,
      title: 'Malformed request body',
      status: 400,
      detail: `The request body is not valid JSON: ${(error as Error).message}`,
      errors: [{ path: '$', message: 'not valid JSON' }],
    });
  }
}
