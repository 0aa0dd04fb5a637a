import { randomUUID } from 'node:crypto';
import {
  type sendUnaryData,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  status,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { eventFilterFrom } from './event-filter';
import { type InMemoryLog, type ProposedEvent, type StoredEvent } from './in-memory-log';
import { shared, streams } from './protocol';
import {
  expectationFromWire,
  recordedEventToWire,
  streamIdentifierToWire,
  streamNameFromWire,
  uuidFromWire,
} from './wire-mapping';

type AppendReq = InstanceType<typeof streams.AppendReq>;
type AppendResp = InstanceType<typeof streams.AppendResp>;
type ReadReq = InstanceType<typeof streams.ReadReq>;
type ReadResp = InstanceType<typeof streams.ReadResp>;
type ReadOptions = InstanceType<typeof streams.ReadReq.Options>;

const BACKWARDS = streams.ReadReq.Options.ReadDirection.BACKWARDS;

/** Streams.Append and Streams.Read over the in-memory log; the other Streams methods answer UNIMPLEMENTED. */
export function streamsService(log: InMemoryLog): UntypedServiceImplementation {
  return {
    append: (call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>) =>
      append(log, call, callback),
    read: (call: ServerWritableStream<ReadReq, ReadResp>) => read(log, call),
    delete: unimplemented('Delete'),
    tombstone: unimplemented('Tombstone'),
    batchAppend: (call: ServerWritableStream<unknown, unknown>) =>
      call.destroy(
        Object.assign(new Error('BatchAppend is not implemented by the double'), {
          code: status.UNIMPLEMENTED,
        }),
      ),
  };
}

/** Client streaming: the options message first, then one message per proposed event. */
function append(
  log: InMemoryLog,
  call: ServerReadableStream<AppendReq, AppendResp>,
  callback: sendUnaryData<AppendResp>,
): void {
  let options: InstanceType<typeof streams.AppendReq.Options> | undefined;
  const proposed: ProposedEvent[] = [];
  let failed = false;
  const fail = (code: status, details: string) => {
    if (failed) return;
    failed = true;
    callback({ code, details });
  };

  call.on('data', (request: AppendReq) => {
    if (request.hasOptions()) {
      if (options) return fail(status.INVALID_ARGUMENT, 'Options sent twice');
      options = request.getOptions();
      return;
    }
    const message = request.getProposedMessage();
    if (!options || !message)
      return fail(status.INVALID_ARGUMENT, 'Expected options, then proposed messages');
    try {
      const metadata = new Map(message.getMetadataMap().entries() as Iterable<[string, string]>);
      if (!metadata.get('type')) return fail(status.INVALID_ARGUMENT, 'Event type missing');
      proposed.push({
        id: uuidFromWire(message.getId()),
        metadata,
        customMetadata: message.getCustomMetadata_asU8(),
        data: message.getData_asU8(),
      });
    } catch (error) {
      fail(status.INVALID_ARGUMENT, (error as Error).message);
    }
  });
  call.on('error', () => undefined);
  call.on('end', () => {
    if (failed) return;
    if (!options) return fail(status.INVALID_ARGUMENT, 'No options received');
    const streamName = streamNameFromWire(options.getStreamIdentifier());
    if (!streamName) return fail(status.INVALID_ARGUMENT, 'Stream name missing');
    const expectation = expectationFromWire(options);
    const outcome = log.append(streamName, expectation, proposed);
    const response = new streams.AppendResp();
    if (outcome.ok) {
      const success = new streams.AppendResp.Success();
      success.setCurrentRevision(outcome.currentRevision.toString());
      const position = new streams.AppendResp.Position();
      position.setCommitPosition(outcome.position.toString());
      position.setPreparePosition(outcome.position.toString());
      success.setPosition(position);
      response.setSuccess(success);
    } else {
      const wrong = new streams.AppendResp.WrongExpectedVersion();
      if (outcome.currentRevision === undefined) wrong.setCurrentNoStream(new shared.Empty());
      else wrong.setCurrentRevision(outcome.currentRevision.toString());
      if (expectation.kind === 'revision') wrong.setExpectedRevision(expectation.revision.toString());
      else if (expectation.kind === 'no_stream') wrong.setExpectedNoStream(new shared.Empty());
      else if (expectation.kind === 'stream_exists') wrong.setExpectedStreamExists(new shared.Empty());
      else wrong.setExpectedAny(new shared.Empty());
      response.setWrongExpectedVersion(wrong);
    }
    callback(null, response);
  });
}

function read(log: InMemoryLog, call: ServerWritableStream<ReadReq, ReadResp>): void {
  const options = call.request.getOptions();
  if (!options) return void call.destroy(grpcError(status.INVALID_ARGUMENT, 'Read options missing'));
  if (options.hasSubscription()) {
    if (!options.hasAll())
      return void call.destroy(
        grpcError(status.UNIMPLEMENTED, 'Stream subscriptions are not implemented by the double'),
      );
    return subscribeToAll(log, call, options);
  }
  const limit = options.hasCount() ? BigInt(options.getCount()) : BigInt(Number.MAX_SAFE_INTEGER);
  const uuidOption = options.getUuidOption();
  let selected: readonly StoredEvent[];
  if (options.hasStream()) {
    const streamOptions = options.getStream()!;
    const streamName = streamNameFromWire(streamOptions.getStreamIdentifier());
    const stream = log.stream(streamName);
    if (!stream) {
      const notFound = new streams.ReadResp.StreamNotFound();
      notFound.setStreamIdentifier(streamIdentifierToWire(streamName));
      const response = new streams.ReadResp();
      response.setStreamNotFound(notFound);
      call.write(response);
      return void call.end();
    }
    selected = selectFromStream(stream, options, streamOptions);
  } else {
    const filter = eventFilterFrom(options);
    selected = selectFromAll(log.events, options).filter(filter.matches);
  }
  let sent = 0n;
  for (const event of selected) {
    if (sent >= limit) break;
    call.write(recordedEventToWire(event, uuidOption));
    sent++;
  }
  call.end();
}

function selectFromStream(
  stream: readonly StoredEvent[],
  options: ReadOptions,
  streamOptions: InstanceType<typeof streams.ReadReq.Options.StreamOptions>,
): StoredEvent[] {
  const backwards = options.getReadDirection() === BACKWARDS;
  if (backwards) {
    const from = streamOptions.hasRevision()
      ? BigInt(streamOptions.getRevision())
      : BigInt(stream.length - 1);
    return stream.filter((event) => event.revision <= from).reverse();
  }
  const from = streamOptions.hasRevision()
    ? BigInt(streamOptions.getRevision())
    : streamOptions.hasEnd()
      ? BigInt(stream.length)
      : 0n;
  return stream.filter((event) => event.revision >= from);
}

/** EventStoreDB reads $all forwards from a position inclusively and backwards exclusively. */
function selectFromAll(events: readonly StoredEvent[], options: ReadOptions): StoredEvent[] {
  const all = options.getAll()!;
  const backwards = options.getReadDirection() === BACKWARDS;
  const position = all.hasPosition() ? BigInt(all.getPosition()!.getCommitPosition()) : undefined;
  if (backwards) {
    const before = position ?? (all.hasStart() ? 0n : BigInt(Number.MAX_SAFE_INTEGER) ** 2n);
    return events.filter((event) => event.position < before).reverse();
  }
  const from = position ?? (all.hasEnd() ? BigInt(Number.MAX_SAFE_INTEGER) ** 2n : 0n);
  return events.filter((event) => event.position >= from);
}

/** Confirmation, catch-up after the checkpoint (exclusive), checkpoint, caught-up, then live events. */
function subscribeToAll(
  log: InMemoryLog,
  call: ServerWritableStream<ReadReq, ReadResp>,
  options: ReadOptions,
): void {
  const all = options.getAll()!;
  const uuidOption = options.getUuidOption();
  const filter = eventFilterFrom(options);
  let scannedSinceCheckpoint = 0;
  let lastScanned: bigint | undefined;

  const confirmation = new streams.ReadResp.SubscriptionConfirmation();
  confirmation.setSubscriptionId(randomUUID());
  call.write(responseWith((response) => response.setConfirmation(confirmation)));

  const deliver = (event: StoredEvent) => {
    lastScanned = event.position;
    if (filter.matches(event)) call.write(recordedEventToWire(event, uuidOption));
    if (filter.checkpointEvery !== undefined && ++scannedSinceCheckpoint >= filter.checkpointEvery) {
      scannedSinceCheckpoint = 0;
      call.write(checkpointAt(event.position));
    }
  };

  const after = all.hasPosition()
    ? BigInt(all.getPosition()!.getCommitPosition())
    : all.hasEnd()
      ? undefined
      : -1n;
  if (after !== undefined) for (const event of log.events) if (event.position > after) deliver(event);
  if (filter.checkpointEvery !== undefined && lastScanned !== undefined)
    call.write(checkpointAt(lastScanned));
  call.write(responseWith((response) => response.setCaughtUp(new streams.ReadResp.CaughtUp())));

  const stopListening = log.onAppended(deliver);
  const stop = () => {
    stopListening();
    if (!call.writableEnded) call.end();
  };
  call.on('cancelled', stop);
  call.on('close', stop);
  call.on('error', stop);
}

function checkpointAt(position: bigint): ReadResp {
  const checkpoint = new streams.ReadResp.Checkpoint();
  checkpoint.setCommitPosition(position.toString());
  checkpoint.setPreparePosition(position.toString());
  return responseWith((response) => response.setCheckpoint(checkpoint));
}

function responseWith(set: (response: ReadResp) => void): ReadResp {
  const response = new streams.ReadResp();
  set(response);
  return response;
}

function unimplemented(method: string) {
  return (_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) =>
    callback({ code: status.UNIMPLEMENTED, details: `${method} is not implemented by the double` });
}

function grpcError(code: status, details: string): Error {
  return Object.assign(new Error(details), { code, details });
}
