import { randomUUID } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';
import { Controller, Inject, UseFilters, UseGuards } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ReadModelQueries } from '@spark/read-model';
import { runStatusOfName } from '@spark/workflow-domain';
import { Observable } from 'rxjs';
import { RequireScope } from '../auth/scopes';
import { ProblemException } from '../problems/problem';
import { RunService } from '../runs/run-service';
import { RunWatcher } from '../runs/run-watcher';
import { REASON_MAX_LENGTH } from '../runs/runs.dto';
import { type GrpcCall, throwIfCancelled, whileCallLive } from './call-context';
import { GrpcApiKeyGuard } from './grpc-auth.guard';
import { GrpcExceptionFilter } from './grpc-exception.filter';
import { runEventMessage, runMessage, runStatusEnum, runStatusName, runSummaryMessage } from './run-messages';
import { fromTimestamp, fromValue, type ProtoTimestamp, type ProtoValue } from './values';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const RUN_ID = /^[\w.:-]{1,200}$/;

const runIdOf = (runId: string | undefined): string => {
  if (!runId)
    throw ProblemException.badRequest('The run id is required', [{ path: 'run_id', message: 'required' }]);
  if (!RUN_ID.test(runId))
    throw ProblemException.badRequest(`"${runId}" is not a run id`, [
      { path: 'run_id', message: 'not a run id' },
    ]);
  return runId;
};

const idempotencyKeyOf = (key: string | undefined): string | undefined => {
  if (!key) return undefined;
  if (!IDEMPOTENCY_KEY.test(key))
    throw ProblemException.badRequest('The idempotency key must be 1-200 visible ASCII characters', [
      { path: 'idempotency_key', message: 'must be 1-200 visible ASCII characters' },
    ]);
  return key;
};

/** An optional reason: empty is none; longer than REST allows is INVALID_ARGUMENT naming `reason`. */
const reasonOf = (reason: string | undefined): string | undefined => {
  if (!reason) return undefined;
  if (reason.length > REASON_MAX_LENGTH)
    throw ProblemException.badRequest(`The reason must be at most ${REASON_MAX_LENGTH} characters`, [
      { path: 'reason', message: `must be at most ${REASON_MAX_LENGTH} characters` },
    ]);
  return reason;
};

interface StartRunRequest {
  workflow?: string;
  version?: number;
  input?: ProtoValue;
  labels?: Record<string, string>;
  idempotencyKey?: string;
}

interface ListRunsRequest {
  workflow?: string;
  status?: string;
  label?: string;
  createdFrom?: ProtoTimestamp;
  createdTo?: ProtoTimestamp;
  pageSize?: number;
  pageToken?: string;
  idempotencyKey?: string;
}

/** The caller's W3C trace context from the call's metadata (as an HTTP caller sends it in headers). */
const traceHeadersOf = (metadata: Metadata | undefined) => {
  const text = (key: string) => {
    const value = metadata?.get?.(key)[0];
    return typeof value === 'string' ? value : undefined;
  };
  return { traceparent: text('traceparent'), tracestate: text('tracestate') };
};

/**
 * spark.v1.Runs: the REST run operations over gRPC, through the same RunService, RunWatcher and
 * read-model queries (so the same checks, commands and errors).
 */
@Controller()
@UseGuards(GrpcApiKeyGuard)
@UseFilters(GrpcExceptionFilter)
export class RunsGrpcController {
  constructor(
    private readonly runs: RunService,
    private readonly watcher: RunWatcher,
    @Inject(ReadModelQueries) private readonly queries: ReadModelQueries,
  ) {}

  @GrpcMethod('Runs', 'StartRun')
  @RequireScope('write')
  startRun(request: StartRunRequest, metadata: Metadata, call: GrpcCall) {
    if (!request.workflow)
      throw ProblemException.badRequest('The workflow is required', [
        { path: 'workflow', message: 'required' },
      ]);
    if (request.version !== undefined && request.version < 0)
      throw ProblemException.badRequest('The version must be a positive integer', [
        { path: 'version', message: 'must be a positive integer' },
      ]);
    const idempotencyKey = idempotencyKeyOf(request.idempotencyKey);
    const labels = request.labels && Object.keys(request.labels).length > 0 ? request.labels : undefined;
    return whileCallLive(call, async () => {
      const accepted = await this.runs.start(
        {
          workflow: request.workflow!,
          ...(request.version ? { version: request.version } : {}),
          input: fromValue(request.input) ?? null,
          ...(labels ? { labels } : {}),
          ...(idempotencyKey ? { idempotencyKey } : {}),
        },
        traceHeadersOf(metadata),
      );
      return { runId: accepted.runId, status: runStatusEnum(accepted.status), workflow: accepted.workflow };
    });
  }

  @GrpcMethod('Runs', 'GetRun')
  @RequireScope('read')
  getRun(request: { runId?: string }, _metadata: unknown, call: GrpcCall) {
    const runId = runIdOf(request.runId);
    return whileCallLive(call, async () => runMessage(await this.runs.get(runId)));
  }

  @GrpcMethod('Runs', 'ListRuns')
  @RequireScope('read')
  listRuns(request: ListRunsRequest, _metadata: unknown, call: GrpcCall) {
    const status = runStatusName(request.status);
    if (status === 'PENDING')
      throw ProblemException.badRequest('PENDING runs are not listed (the read model knows started runs)', [
        { path: 'status', message: 'must not be RUN_STATUS_PENDING' },
      ]);
    if (request.pageSize !== undefined && request.pageSize < 0)
      throw ProblemException.badRequest('The page size must be positive', [
        { path: 'page_size', message: 'must be positive' },
      ]);
    const createdFrom = fromTimestamp(request.createdFrom);
    const createdTo = fromTimestamp(request.createdTo);
    const idempotencyKey = idempotencyKeyOf(request.idempotencyKey);
    return whileCallLive(call, async () => {
      const page = await this.queries.listRuns({
        ...(idempotencyKey ? { idempotencyKey } : {}),
        ...(request.workflow ? { workflow: request.workflow } : {}),
        ...(status ? { status: runStatusOfName(status)! } : {}),
        ...(request.label ? { label: request.label } : {}),
        ...(createdFrom ? { createdFrom } : {}),
        ...(createdTo ? { createdTo } : {}),
        ...(request.pageSize ? { limit: request.pageSize } : {}),
        ...(request.pageToken ? { cursor: request.pageToken } : {}),
      });
      return {
        runs: page.items.map(runSummaryMessage),
        ...(page.nextCursor ? { nextPageToken: page.nextCursor } : {}),
      };
    });
  }

  @GrpcMethod('Runs', 'CancelRun')
  @RequireScope('write')
  cancelRun(request: { runId?: string; reason?: string }, _metadata: unknown, call: GrpcCall) {
    const runId = runIdOf(request.runId);
    const reason = reasonOf(request.reason);
    return whileCallLive(call, async () => {
      await this.runs.cancel(runId, reason);
      return { runId };
    });
  }

  @GrpcMethod('Runs', 'SignalRun')
  @RequireScope('write')
  signalRun(
    request: { runId?: string; name?: string; payload?: ProtoValue; signalId?: string; reason?: string },
    _metadata: unknown,
    call: GrpcCall,
  ) {
    const runId = runIdOf(request.runId);
    if (!request.name)
      throw ProblemException.badRequest('The signal name is required', [
        { path: 'name', message: 'required' },
      ]);
    const signalId = idempotencyKeyOf(request.signalId) ?? randomUUID();
    const reason = reasonOf(request.reason);
    return whileCallLive(call, async () => {
      await this.runs.signal(runId, request.name!, fromValue(request.payload) ?? null, signalId, reason);
      return { runId, signalId };
    });
  }

  @GrpcMethod('Runs', 'RetryRun')
  @RequireScope('write')
  retryRun(request: { runId?: string; reason?: string }, _metadata: unknown, call: GrpcCall) {
    const runId = runIdOf(request.runId);
    const reason = reasonOf(request.reason);
    return whileCallLive(call, async () => {
      await this.runs.retry(runId, reason);
      return { runId };
    });
  }

  /**
   * The run's events until it ends. Nest unsubscribes when the client cancels or the deadline
   * passes; the teardown aborts the watcher, which closes its event-store subscription.
   */
  @GrpcMethod('Runs', 'WatchRun')
  @RequireScope('read')
  async watchRun(request: { runId?: string; afterRevision?: string }, _metadata: unknown, call: GrpcCall) {
    const runId = runIdOf(request.runId);
    if (request.afterRevision !== undefined && !/^\d{1,18}$/.test(String(request.afterRevision)))
      throw ProblemException.badRequest('after_revision must be a stream revision', [
        { path: 'after_revision', message: 'must be a non-negative integer' },
      ]);
    const exists = await whileCallLive(call, async (signal) => {
      const found = await this.runs.exists(runId);
      throwIfCancelled(signal);
      return found;
    });
    if (!exists) throw ProblemException.notFound(`run "${runId}" does not exist`);
    const after = request.afterRevision === undefined ? undefined : BigInt(request.afterRevision);
    return new Observable((subscriber) => {
      const abort = new AbortController();
      void (async () => {
        try {
          for await (const event of this.watcher.watch(runId, after, abort.signal)) {
            if (abort.signal.aborted) break;
            subscriber.next(runEventMessage(runId, event));
          }
          subscriber.complete();
        } catch (error) {
          if (!abort.signal.aborted) subscriber.error(error);
        }
      })();
      return () => abort.abort();
    });
  }
}
