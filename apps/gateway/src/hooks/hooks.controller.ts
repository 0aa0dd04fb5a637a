import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { HOOKS_PATH } from '../http/http-setup';
import { ApiPathParam, PATH_PARAMS, PathParam } from '../http/path-params';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { type HookAccepted, RUN_STATUSES, type RunStatusName } from '@spark/contracts';
import type { Request, Response } from 'express';
import { PublicRoute } from '../auth/scopes';
import { ApiProblem } from '../problems/problem.dto';
import { WebhookDeliveries } from './webhook-deliveries';

class HookAcceptedDto implements HookAccepted {
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ enum: RUN_STATUSES }) status!: RunStatusName;
  @ApiProperty({ description: 'True when this delivery id already started the run: nothing new started' })
  duplicate!: boolean;
  @ApiProperty({ example: '/api/v1/runs/0b5c…' }) location!: string;
}

/** Webhook deliveries: public (no API key), authenticated by the trigger's HMAC signature instead. */
@ApiTags('hooks')
@Controller(HOOKS_PATH.slice(1))
export class HooksController {
  constructor(private readonly deliveries: WebhookDeliveries) {}

  @Post(':triggerId')
  @HttpCode(202)
  @PublicRoute()
  @ApiOperation({
    operationId: 'deliverWebhook',
    summary: 'Start a run of a webhook trigger (signed with its secret, no API key)',
    description:
      'Sign "<X-Spark-Timestamp>.<raw body>" with HMAC-SHA256 and the trigger\'s secret. A delivery id seen ' +
      'before names the run it started (duplicate: true) and starts nothing. See docs/webhooks.md.',
    security: [],
  })
  @ApiHeader({
    name: 'X-Spark-Timestamp',
    required: true,
    description: 'Unix seconds when the delivery was signed',
  })
  @ApiPathParam('triggerId', PATH_PARAMS.uuid)
  @ApiHeader({ name: 'X-Spark-Signature', required: true, description: '"sha256=" + hex HMAC-SHA256' })
  @ApiHeader({ name: 'X-Spark-Delivery', required: true, description: 'Delivery id: a replay repeats it' })
  @ApiBody({
    required: false,
    description: 'Any body: JSON is parsed, form fields become an object, else text',
  })
  @ApiAcceptedResponse({ type: HookAcceptedDto })
  @ApiProblem(400, 'No X-Spark-Delivery, or a body declared JSON that is not')
  @ApiProblem(401, 'The signature or the timestamp is missing, malformed, wrong or outside the tolerance')
  @ApiProblem(404, 'No webhook trigger has this id, or its workflow no longer exists')
  @ApiProblem(409, 'The trigger is paused')
  @ApiProblem(413, 'The body is larger than the limit')
  @ApiProblem(422, "The trigger's input expression failed, or the input does not match the workflow's schema")
  async deliver(
    @PathParam('triggerId', PATH_PARAMS.uuid) triggerId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<HookAccepted> {
    const accepted = await this.deliveries.deliver(
      triggerId,
      {
        headers: request.headers,
        query: request.query as Record<string, unknown>,
        rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      },
      Math.floor(Date.now() / 1000),
    );
    response.location(accepted.location);
    return accepted;
  }
}
