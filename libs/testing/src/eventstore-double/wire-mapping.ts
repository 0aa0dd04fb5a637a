import { type StoredEvent, type StreamExpectation } from './in-memory-log';
import { shared, streams } from './protocol';

type UuidMessage = InstanceType<typeof shared.UUID>;
type AppendOptions = InstanceType<typeof streams.AppendReq.Options>;
type UuidOption = InstanceType<typeof streams.ReadReq.Options.UUIDOption> | undefined;

const INT64_RANGE = 1n << 64n;

export function uuidFromWire(uuid: UuidMessage | undefined): string {
  if (!uuid) throw new Error('Event id missing');
  if (uuid.hasString()) return uuid.getString().toLowerCase();
  const structured = uuid.getStructured();
  if (!structured) throw new Error('Event id missing');
  const toHex = (signed: string) => BigInt.asUintN(64, BigInt(signed)).toString(16).padStart(16, '0');
  const hex = toHex(structured.getMostSignificantBits()) + toHex(structured.getLeastSignificantBits());
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidToWire(id: string, option: UuidOption): UuidMessage {
  const uuid = new shared.UUID();
  if (option?.hasStructured()) {
    const hex = id.replaceAll('-', '');
    const signed = (part: string) => BigInt.asIntN(64, BigInt(`0x${part}`) % INT64_RANGE).toString();
    const structured = new shared.UUID.Structured();
    structured.setMostSignificantBits(signed(hex.slice(0, 16)));
    structured.setLeastSignificantBits(signed(hex.slice(16)));
    uuid.setStructured(structured);
  } else {
    uuid.setString(id);
  }
  return uuid;
}

export function streamNameFromWire(
  identifier: InstanceType<typeof shared.StreamIdentifier> | undefined,
): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

export function streamIdentifierToWire(streamName: string): InstanceType<typeof shared.StreamIdentifier> {
  const identifier = new shared.StreamIdentifier();
  identifier.setStreamName(Buffer.from(streamName, 'utf8'));
  return identifier;
}

export function expectationFromWire(options: AppendOptions): StreamExpectation {
  if (options.hasRevision()) return { kind: 'revision', revision: BigInt(options.getRevision()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}

export function recordedEventToWire(
  event: StoredEvent,
  uuidOption: UuidOption,
): InstanceType<typeof streams.ReadResp> {
  const recorded = new streams.ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(uuidToWire(event.id, uuidOption));
  recorded.setStreamIdentifier(streamIdentifierToWire(event.streamName));
  recorded.setStreamRevision(event.revision.toString());
  recorded.setCommitPosition(event.position.toString());
  recorded.setPreparePosition(event.position.toString());
  for (const [key, value] of event.metadata) recorded.getMetadataMap().set(key, value);
  recorded.setCustomMetadata(event.customMetadata);
  recorded.setData(event.data);
  const readEvent = new streams.ReadResp.ReadEvent();
  readEvent.setEvent(recorded);
  readEvent.setCommitPosition(event.position.toString());
  const response = new streams.ReadResp();
  response.setEvent(readEvent);
  return response;
}
