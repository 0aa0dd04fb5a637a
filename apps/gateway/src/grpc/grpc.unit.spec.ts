import { status } from '@grpc/grpc-js';
import { ConcurrencyConflictError } from '@spark/event-store';
import { InvalidCursorError } from '@spark/read-model';
import { ConflictError, IllegalStateError, NotFoundError, ValidationError } from '@spark/workflow-domain';
import { firstValueFrom, type Observable, toArray } from 'rxjs';
import { ProblemException } from '../problems/problem';
import type { RunService } from '../runs/run-service';
import type { RunWatcher } from '../runs/run-watcher';
import { toGrpcError } from './grpc-errors';
import { RunsGrpcController } from './runs.grpc.controller';
import { fromStruct, fromTimestamp, fromValue, toStruct, toTimestamp, toValue } from './values';

describe('gRPC error mapping (from the REST problem of the same error)', () => {
  const code = (error: unknown) => toGrpcError(error, 1024).code;

  it('maps the domain, event-store and read-model errors', () => {
    expect(code(new NotFoundError('run "x" does not exist'))).toBe(status.NOT_FOUND);
    expect(code(new IllegalStateError('run is completed', 'RUN_FINISHED'))).toBe(status.FAILED_PRECONDITION);
    expect(code(new ConflictError('other content', 'VERSION_EXISTS'))).toBe(status.ALREADY_EXISTS);
    expect(code(new ConcurrencyConflictError('run-x', 1n, 2n))).toBe(status.ABORTED);
    expect(code(new Error('boom'))).toBe(status.INTERNAL);
    expect(code(ProblemException.badRequest('bad'))).toBe(status.INVALID_ARGUMENT);
  });

  it('names the field paths in the message and the reason in the trailers', () => {
    const invalid = toGrpcError(
      new ValidationError([{ path: '$.input.n', message: 'must be number' }], 'Invalid input'),
      1024,
    );
    expect(invalid.code).toBe(status.INVALID_ARGUMENT);
    expect(invalid.details).toContain('$.input.n: must be number');
    const cursor = toGrpcError(new InvalidCursorError(), 1024);
    expect(cursor.code).toBe(status.INVALID_ARGUMENT);
    expect(cursor.details).toContain('page_token');
    const illegal = toGrpcError(new IllegalStateError('finished', 'RUN_FINISHED'), 1024);
    expect(illegal.metadata!.get('spark-reason')).toEqual(['RUN_FINISHED']);
  });
});

describe('google.protobuf.Value / Struct / Timestamp', () => {
  it('round-trips JSON', () => {
    const json = { a: 1, b: 'x', c: [true, null, { d: 2.5 }], e: {} };
    expect(fromValue(toValue(json))).toEqual(json);
    expect(fromStruct(toStruct(json))).toEqual(json);
    expect(fromValue(toValue(null))).toBeNull();
    expect(fromValue(undefined)).toBeUndefined();
  });

  it('round-trips times to the millisecond', () => {
    const iso = '2026-01-02T03:04:05.678Z';
    expect(toTimestamp(iso)).toEqual({ seconds: String(Date.parse(iso) / 1000 - 0.678), nanos: 678_000_000 });
    expect(fromTimestamp(toTimestamp(iso))).toBe(iso);
  });
});

describe('WatchRun', () => {
  it('aborts the watcher when the call is torn down (client cancel, deadline)', async () => {
    let signalSeen: AbortSignal | undefined;
    const watcher = {
      async *watch(_runId: string, _after: bigint | undefined, signal: AbortSignal) {
        signalSeen = signal;
        yield { revision: 0n, type: 'RunStarted', data: {}, recordedAt: new Date() };
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      },
    } as unknown as RunWatcher;
    const runs = { exists: async () => true } as unknown as RunService;
    const controller = new RunsGrpcController(runs, watcher, {} as never);
    const events = (await controller.watchRun({ runId: 'r1' }, undefined, {})) as Observable<{
      type: string;
    }>;
    const received: string[] = [];
    const subscription = events.subscribe((event) => received.push(event.type));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toEqual(['RunStarted']);
    expect(signalSeen!.aborted).toBe(false);
    subscription.unsubscribe();
    expect(signalSeen!.aborted).toBe(true);
  });

  it('completes after the watcher ends (the run ended)', async () => {
    const watcher = {
      async *watch() {
        yield { revision: 0n, type: 'RunStarted', data: {}, recordedAt: new Date() };
        yield { revision: 1n, type: 'RunCompleted', data: { output: 1 }, recordedAt: new Date() };
      },
    } as unknown as RunWatcher;
    const runs = { exists: async () => true } as unknown as RunService;
    const controller = new RunsGrpcController(runs, watcher, {} as never);
    const events = (await controller.watchRun({ runId: 'r1' }, undefined, {})) as Observable<{
      type: string;
      revision: string;
    }>;
    expect(await firstValueFrom(events.pipe(toArray()))).toEqual([
      expect.objectContaining({ type: 'RunStarted', revision: '0' }),
      expect.objectContaining({ type: 'RunCompleted', revision: '1' }),
    ]);
  });

  it('is NOT_FOUND for an unknown run, INVALID_ARGUMENT for a bad run id', async () => {
    const runs = { exists: async () => false } as unknown as RunService;
    const controller = new RunsGrpcController(runs, {} as RunWatcher, {} as never);
    await expect(controller.watchRun({ runId: 'nope' }, undefined, {})).rejects.toMatchObject({
      problem: { status: 404 },
    });
    await expect(controller.watchRun({ runId: 'a b' }, undefined, {})).rejects.toMatchObject({
      problem: { status: 400 },
    });
    await expect(controller.watchRun({ runId: 'r1' }, undefined, { cancelled: true })).rejects.toMatchObject({
      code: status.CANCELLED,
    });
  });
});
