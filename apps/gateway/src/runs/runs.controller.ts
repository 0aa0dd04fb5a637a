import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { type RunAccepted, type RunResource } from '@spark/contracts';
import type { Request, Response } from 'express';
import { RequireScope } from '../auth/scopes';
import { ApiPathParam, PATH_PARAMS, PathParam } from '../http';
import { ProblemException } from '../problems/problem';
import { ApiProblems, ProblemDto } from '../problems/problem.dto';
import { RunService } from './run-service';
import { RunWatcher, toRunEventMessage } from './run-watcher';
import {
  CancelRunRequestDto,
  RetryRunRequestDto,
  RunAcceptedDto,
  RunDto,
  SignalRunRequestDto,
  StartRunRequestDto,
  StartWorkflowRunRequestDto,
} from './runs.dto';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

const idempotencyKeyOf = (header: string | undefined): string | undefined => {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header))
    throw ProblemException.badRequest('The Idempotency-Key header must be 1-200 visible ASCII characters', [
      { path: 'header:Idempotency-Key', message: 'must be 1-200 visible ASCII characters' },
    ]);
  return header;
};

const IdempotencyKeyHeader = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    schema: { type: 'string', pattern: '^[!-~]{1,200}$' },
    description:
      'Names one request: repeating the start with the same key and the same request answers the same run as it is now ' +
      '(status, pinned version); the same key with a different workflow, version, input or labels is a 422',
  });

const RunIdParam = () => ApiPathParam('runId', PATH_PARAMS.runId);
const RunId = () => PathParam('runId', PATH_PARAMS.runId);

@ApiTags('runs')
@ApiExtraModels(ProblemDto)
@Controller('api/v1')
export class RunsController {
  constructor(
    private readonly runs: RunService,
    private readonly watcher: RunWatcher,
  ) {}

  @Post('runs')
  @HttpCode(202)
  @RequireScope('write')
  @IdempotencyKeyHeader()
  @ApiOperation({
    operationId: 'startRun',
    summary: 'Start a run',
    description:
      'Answers 202 once the StartRun command is durable in Kafka; the run is PENDING until the scheduler starts it.',
  })
  @ApiAcceptedResponse({ type: RunAcceptedDto })
  @ApiProblems(400, 404, 413, 422)
  async start(
    @Body() body: StartRunRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('traceparent') traceparent: string | undefined,
    @Headers('tracestate') tracestate: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RunAccepted> {
    const accepted = await this.runs.start(
      { ...body, idempotencyKey: idempotencyKeyOf(idempotencyKey) },
      { traceparent, tracestate },
    );
    response.location(accepted.location);
    return accepted;
  }

  @Post('workflows/:name/runs')
  @HttpCode(202)
  @RequireScope('write')
  @IdempotencyKeyHeader()
  @ApiPathParam('name', PATH_PARAMS.workflowName)
  @ApiOperation({ operationId: 'startWorkflowRun', summary: 'Start a run of the named workflow' })
  @ApiBody({
    type: StartWorkflowRunRequestDto,
    required: false,
    description: 'Every field is optional; so is the body',
  })
  @ApiAcceptedResponse({ type: RunAcceptedDto })
  @ApiProblems(400, 404, 413, 422)
  async startWorkflow(
    @PathParam('name', PATH_PARAMS.workflowName) name: string,
    @Body() body: StartWorkflowRunRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('traceparent') traceparent: string | undefined,
    @Headers('tracestate') tracestate: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RunAccepted> {
    const accepted = await this.runs.start(
      { ...body, workflow: name, idempotencyKey: idempotencyKeyOf(idempotencyKey) },
      { traceparent, tracestate },
    );
    response.location(accepted.location);
    return accepted;
  }

  @Get('runs/:runId')
  @RequireScope('read')
  @RunIdParam()
  @ApiOperation({
    operationId: 'getRun',
    summary: 'A run with its steps and every attempt',
    description: 'Read from the run stream, so always current; PENDING right after a start, never 404.',
  })
  @ApiOkResponse({ type: RunDto })
  @ApiProblems(400, 404)
  get(@RunId() runId: string): Promise<RunResource> {
    return this.runs.get(runId);
  }

  @Post('runs/:runId/cancel')
  @HttpCode(202)
  @RequireScope('write')
  @RunIdParam()
  @ApiOperation({
    operationId: 'cancelRun',
    summary: 'Cancel a run (its steps are cancelled, compensations do not run)',
  })
  @ApiBody({ type: CancelRunRequestDto, required: false })
  @ApiAcceptedResponse({ description: 'The CancelRun command is durable' })
  @ApiProblems(400, 404, 409)
  async cancel(@RunId() runId: string, @Body() body: CancelRunRequestDto): Promise<{ runId: string }> {
    await this.runs.cancel(runId, body.reason);
    return { runId };
  }

  @Post('runs/:runId/signals')
  @HttpCode(202)
  @RequireScope('write')
  @RunIdParam()
  @IdempotencyKeyHeader()
  @ApiOperation({ operationId: 'signalRun', summary: 'Send a named signal to a run' })
  @ApiAcceptedResponse({ description: 'The SignalRun command is durable' })
  @ApiProblems(400, 404, 409)
  async signal(
    @RunId() runId: string,
    @Body() body: SignalRunRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<{ runId: string; signalId: string }> {
    const key = idempotencyKeyOf(idempotencyKey);
    const signalId = body.signalId ?? key ?? randomUUID();
    await this.runs.signal(runId, body.name, body.payload ?? null, signalId, body.reason);
    return { runId, signalId };
  }

  @Post('runs/:runId/retry')
  @HttpCode(202)
  @RequireScope('write')
  @RunIdParam()
  @ApiOperation({
    operationId: 'retryRun',
    summary: 'Retry a failed run from where it failed (succeeded steps keep their outputs)',
  })
  @ApiBody({ type: RetryRunRequestDto, required: false })
  @ApiAcceptedResponse({ description: 'The RetryRun command is durable' })
  @ApiProblems(400, 404, 409)
  async retry(@RunId() runId: string, @Body() body: RetryRunRequestDto): Promise<{ runId: string }> {
    await this.runs.retry(runId, body.reason);
    return { runId };
  }

  @Get('runs/:runId/events')
  @RequireScope('read')
  @RunIdParam()
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume after this stream revision',
    schema: { type: 'string', pattern: '^[0-9]{1,18}$' },
  })
  @ApiProduces('text/event-stream')
  @ApiOperation({
    operationId: 'watchRun',
    summary: "The run's events as Server-Sent Events",
    description:
      'Each message: `id` = stream revision, `event` = event type, `data` = JSON {runId, revision, type, data, recordedAt}. ' +
      'Stored events first, then live ones; the stream ends after the run ends (RunCompleted, RunFailed, RunCancelled, RunTimedOut).',
  })
  @ApiOkResponse({ description: 'text/event-stream' })
  @ApiProblems(400, 404)
  async watch(
    @RunId() runId: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    if (lastEventId !== undefined && !/^\d{1,18}$/.test(lastEventId))
      throw ProblemException.badRequest('Last-Event-ID must be a stream revision', [
        { path: 'header:Last-Event-ID', message: 'must be a non-negative integer' },
      ]);
    if (!(await this.runs.exists(runId))) throw ProblemException.notFound(`run "${runId}" does not exist`);
    const abort = new AbortController();
    request.on('close', () => abort.abort());
    response.status(200).set({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.flushHeaders();
    response.write(': watching run\n\n');
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), this.watcher.heartbeatMs);
    try {
      const after = lastEventId === undefined ? undefined : BigInt(lastEventId);
      for await (const event of this.watcher.watch(runId, after, abort.signal)) {
        const message = toRunEventMessage(runId, event);
        response.write(
          `id: ${message.revision}\nevent: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`,
        );
      }
    } catch (error) {
      if (!abort.signal.aborted)
        response.write(`event: error\ndata: ${JSON.stringify({ message: (error as Error).message })}\n\n`);
    } finally {
      clearInterval(heartbeat);
      response.end();
    }
  }
}
