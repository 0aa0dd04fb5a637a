import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  type CancelRunCommand,
  PROBLEM_TYPES,
  type RetryRunCommand,
  type RunAccepted,
  type RunResource,
  runStreamName,
  type SignalRunCommand,
  type SparkCommand,
  type StartRunCommand,
  Topics,
} from '@spark/contracts';
import { type RecordedEvent, StreamNotFoundError } from '@spark/event-store';
import { KafkaMessaging } from '@spark/messaging';
import {
  contextFromTraceHeaders,
  contextFromTraceparent,
  inSpan,
  SparkAttributes,
  type TraceHeaders,
} from '@spark/telemetry';
import {
  checkRunInput,
  decideRun,
  isDomainError,
  NotFoundError,
  type RunCommand,
  ValidationError,
} from '@spark/workflow-domain';
import { ProblemException } from '../problems/problem';
import { GatewayStorage } from '../storage/gateway-storage';
import {
  type AcceptedStart,
  differences,
  fingerprintOf,
  RunStarts,
  type StartFingerprint,
} from './run-starts';
import { runIdFor } from '@spark/contracts';
import { currentRunView, ReadModelQueries, runResourceOf, type RunViewState } from '@spark/read-model';

export interface StartRunRequest {
  workflow: string;
  version?: number;
  input?: unknown;
  labels?: Record<string, string>;
  idempotencyKey?: string;
}

/**
 * Runs through the gateway: commands go to `spark.commands` (key = run id, so a run's commands stay
 * in order) once checked against the run as it is now; reads take the read model's view of the run
 * and fold the stream's events after it on (read-your-writes, docs/adr/0133).
 */
@Injectable()
export class RunService {
  constructor(
    private readonly storage: GatewayStorage,
    private readonly messaging: KafkaMessaging,
    @Inject(RunStarts) private readonly starts: RunStarts,
    @Inject(ReadModelQueries) private readonly queries: ReadModelQueries,
  ) {}

  private now(): string {
    return new Date().toISOString();
  }

  /**
   * `trace`: the caller's W3C trace headers; the run continues that trace.
   * Checks the workflow exists and the input satisfies its input schema (the check the decider's
   * start applies, so the rules are the scheduler's), records the start (shared by every gateway),
   * then sends StartRun pinned to that version and resolves once Kafka has it durably.
   *
   * An Idempotency-Key names one request: repeated with the same request it answers the run as it is
   * now (its status, its pinned version), whatever happened to the workflow since; with a different
   * request (workflow, version, input or labels) it is a 422 naming the key.
   */
  async start(request: StartRunRequest, trace: TraceHeaders = {}): Promise<RunAccepted> {
    const fingerprint = fingerprintOf(request);
    if (request.idempotencyKey !== undefined) {
      const existing = await this.starts.byKey(request.idempotencyKey);
      if (existing) return this.repeated(existing, fingerprint, trace);
    }
    const definition = await this.storage.catalog
      .get(request.workflow, request.version)
      .catch((error: unknown) => {
        if (isDomainError(error, 'NOT_FOUND'))
          throw ProblemException.notFound((error as Error).message, [
            {
              path: request.version === undefined ? '$.workflow' : '$.version',
              message: (error as Error).message,
            },
          ]);
        throw error;
      });
    const runId = runIdFor(definition.name, request.idempotencyKey);
    const now = this.now();
    const input = request.input ?? null;
    try {
      checkRunInput(definition, input);
    } catch (error) {
      if (error instanceof ValidationError)
        throw ProblemException.unprocessable(
          `The input does not match the input schema of workflow "${definition.name}" version ${definition.version}: ${error.problems
            .map((p) => `${p.path} ${p.message}`)
            .join('; ')}`,
          error.problems,
        );
      throw error;
    }
    const accepted: AcceptedStart = {
      runId,
      fingerprint,
      workflow: { name: definition.name, version: definition.version },
      input,
      acceptedAt: now,
      ...(request.labels ? { labels: request.labels } : {}),
      ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
    };
    const recorded = await this.starts.record(accepted);
    // Another request with the same key got there first (a race): answer as its repeat.
    if (!recorded.recorded) return this.repeated(recorded.existing, fingerprint, trace);
    await this.sendStart(accepted, trace);
    return {
      runId,
      status: 'PENDING',
      workflow: accepted.workflow as RunAccepted['workflow'],
      location: `/api/v1/runs/${runId}`,
    };
  }

  /**
   * A start whose key was seen before. Until the run's stream exists, its StartRun is sent again (the
   * first send may not have happened: the gateway can stop between recording and sending; the scheduler
   * ignores a second StartRun of a run).
   */
  private async repeated(
    existing: AcceptedStart,
    fingerprint: StartFingerprint,
    trace: TraceHeaders,
  ): Promise<RunAccepted> {
    const differing = differences(existing.fingerprint, fingerprint);
    if (differing.length > 0)
      throw new ProblemException({
        type: PROBLEM_TYPES.idempotencyKeyReused,
        title: 'Idempotency-Key reused',
        status: 422,
        detail: `The Idempotency-Key "${existing.idempotencyKey}" was used for run ${existing.runId} with a different request (its ${differing.join(', ')} differ); use a new key for a new request`,
        errors: [
          {
            path: 'header:Idempotency-Key',
            message: `already used with a different ${differing.join(', ')}`,
          },
        ],
      });
    const view = runResourceOf(await this.view(existing.runId));
    if (!view) await this.sendStart(existing, trace);
    return {
      runId: existing.runId,
      status: view?.status ?? 'PENDING',
      workflow: (view?.workflow ?? existing.workflow) as RunAccepted['workflow'],
      location: `/api/v1/runs/${existing.runId}`,
    };
  }

  private async sendStart(start: AcceptedStart, trace: TraceHeaders): Promise<void> {
    const command: StartRunCommand = {
      type: 'StartRun',
      commandId: randomUUID(),
      runId: start.runId,
      issuedAt: this.now(),
      workflow: start.workflow,
      input: start.input,
      ...(start.idempotencyKey ? { idempotencyKey: start.idempotencyKey } : {}),
      ...(start.labels ? { labels: start.labels } : {}),
    };
    // The run's root span (a child of the caller's span when it sent W3C trace headers): its context
    // goes into the StartRun headers, so the whole run is one trace, the caller's.
    await inSpan(
      'spark.run.start',
      {
        parent: contextFromTraceHeaders(trace),
        attributes: {
          [SparkAttributes.runId]: start.runId,
          [SparkAttributes.workflow]: start.workflow.name,
          'spark.workflow.version': start.workflow.version,
        },
      },
      () => this.send(command),
    );
  }

  /**
   * The run as it is now: the read model's view with the stream's newer events folded on. Until the
   * start reached the stream, PENDING from its recorded start (in PostgreSQL, so every gateway
   * instance answers alike, at once).
   */
  async get(runId: string): Promise<RunResource> {
    const [view, accepted] = await Promise.all([this.view(runId), this.starts.byRunId(runId)]);
    const resource = runResourceOf(view, accepted ?? {});
    if (resource) return resource;
    if (accepted) return RunStarts.toResource(accepted);
    throw new NotFoundError(`run "${runId}" does not exist`);
  }

  async cancel(runId: string, reason?: string): Promise<void> {
    await this.command(
      runId,
      { type: 'CancelRun', data: { ...(reason ? { reason } : {}) } },
      (base) =>
        ({
          ...base,
          type: 'CancelRun',
          ...(reason ? { reason } : {}),
        }) satisfies CancelRunCommand,
    );
  }

  async signal(
    runId: string,
    name: string,
    payload: unknown,
    signalId: string,
    reason?: string,
  ): Promise<void> {
    const why = reason ? { reason } : {};
    await this.command(
      runId,
      { type: 'ReceiveSignal', data: { signalId, name, payload, ...why } },
      (base) => ({ ...base, type: 'SignalRun', signalId, name, payload, ...why }) satisfies SignalRunCommand,
    );
  }

  async retry(runId: string, reason?: string): Promise<void> {
    const why = reason ? { reason } : {};
    await this.command(
      runId,
      { type: 'RetryRunFromFailure', data: why },
      (base) => ({ ...base, type: 'RetryRun', ...why }) satisfies RetryRunCommand,
    );
  }

  /** The run's view from the read model, brought up to the stream's last event. */
  async view(runId: string): Promise<RunViewState> {
    return currentRunView(await this.queries.runView(runId), (from) => this.events(runId, from));
  }

  /** The run's events from `fromRevision` on; none when the stream does not exist (yet). */
  async events(runId: string, fromRevision?: bigint): Promise<RecordedEvent[]> {
    try {
      return await this.storage.store.readStream(
        runStreamName(runId),
        fromRevision === undefined ? {} : { fromRevision },
      );
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  /** The run's latest event, if its stream exists. */
  private async lastEvent(runId: string): Promise<RecordedEvent | undefined> {
    try {
      const [last] = await this.storage.store.readStream(runStreamName(runId), {
        direction: 'backwards',
        maxCount: 1,
      });
      return last;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
  }

  /** Whether the run exists or its start was accepted (by any gateway). */
  async exists(runId: string): Promise<boolean> {
    if ((await this.lastEvent(runId)) !== undefined) return true;
    return (await this.starts.byRunId(runId)) !== undefined;
  }

  /**
   * Sends a command about an existing run, after asking the decider whether it applies to the run's
   * current state (illegal ones, like cancelling a completed run, answer 409 here instead of being
   * dropped by the scheduler). A run whose start is accepted but not yet applied takes commands: they
   * follow the start on the run's partition.
   */
  private async command(
    runId: string,
    check: Pick<RunCommand, 'type' | 'data'>,
    build: (base: { commandId: string; runId: string; issuedAt: string }) => SparkCommand,
  ): Promise<void> {
    const now = this.now();
    const { state } = await this.view(runId);
    if (state.status === 'notStarted') {
      if (!(await this.starts.byRunId(runId))) throw new NotFoundError(`run "${runId}" does not exist`);
    } else {
      await decideRun({ ...check, metadata: { now } } as RunCommand, state);
    }
    // Commands about a run join its trace (after its latest event).
    const traceparent = (await this.lastEvent(runId))?.metadata.traceparent;
    await inSpan(
      'spark.run.command',
      {
        parent: contextFromTraceparent(typeof traceparent === 'string' ? traceparent : undefined),
        attributes: { [SparkAttributes.runId]: runId, [SparkAttributes.command]: check.type },
      },
      () => this.send(build({ commandId: randomUUID(), runId, issuedAt: now })),
    );
  }

  private async send(command: SparkCommand): Promise<void> {
    await this.messaging.publish(Topics.commands, [{ key: command.runId, value: JSON.stringify(command) }]);
  }
}
