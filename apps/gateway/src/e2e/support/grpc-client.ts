import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { SPARK_PROTO_DIR, SPARK_PROTO_FILES } from '@spark/contracts';

// A @grpc/grpc-js client of spark.v1 loaded from the protos at run time, as a client without generated
// code would use it, and the google.protobuf.Value conversions the tests need.

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: false,
  oneofs: true,
};

// Messages are loosely typed here: the protos are loaded at run time, as a client without generated code would.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Message = any;
type Callback<T> = (error: grpc.ServiceError | null, response?: T) => void;
type Unary = (
  request: object,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: Callback<Message>,
) => void;
export type GrpcClient = grpc.Client &
  Record<string, Unary & ((...args: unknown[]) => grpc.ClientReadableStream<Message>)>;

export interface ProtoValue {
  nullValue?: string;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: { fields?: Record<string, ProtoValue> };
  listValue?: { values?: ProtoValue[] };
}

export const toValue = (value: unknown): ProtoValue => {
  if (value === null || value === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(toValue) } };
  return {
    structValue: {
      fields: Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, toValue(v)])),
    },
  };
};
export const fromValue = (value: ProtoValue | undefined): unknown => {
  if (!value) return undefined;
  if (value.numberValue !== undefined && value.numberValue !== null) return value.numberValue;
  if (value.stringValue !== undefined && value.stringValue !== null) return value.stringValue;
  if (value.boolValue !== undefined && value.boolValue !== null) return value.boolValue;
  if (value.structValue)
    return Object.fromEntries(
      Object.entries(value.structValue.fields ?? {}).map(([k, v]) => [k, fromValue(v) ?? null]),
    );
  if (value.listValue) return (value.listValue.values ?? []).map((v) => fromValue(v) ?? null);
  return null;
};

export const bearer = (key?: string): grpc.Metadata => {
  const metadata = new grpc.Metadata();
  if (key) metadata.set('authorization', `Bearer ${key}`);
  return metadata;
};

/** Calls a unary method; resolves with the response or rejects with the ServiceError. */
export const call = <T = Message>(
  client: GrpcClient,
  method: string,
  request: object,
  key?: string,
  deadlineMs = 15_000,
): Promise<T> =>
  new Promise((resolve, reject) =>
    client[method]!(request, bearer(key), { deadline: Date.now() + deadlineMs }, (error, response) =>
      error ? reject(error) : resolve(response as T),
    ),
  );

export const failure = async (promise: Promise<unknown>): Promise<grpc.ServiceError> => {
  try {
    await promise;
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error('the call succeeded');
};

/** A client per spark.v1 service, on the gateway's gRPC address. */
export function sparkClients(address: string): Record<'Runs' | 'Workflows' | 'Schedules', GrpcClient> {
  const definition = protoLoader.loadSync([...SPARK_PROTO_FILES], {
    ...LOADER_OPTIONS,
    includeDirs: [SPARK_PROTO_DIR],
  });
  const api = grpc.loadPackageDefinition(definition) as unknown as {
    spark: { v1: Record<string, grpc.ServiceClientConstructor> };
  };
  const client = (service: string) =>
    new api.spark.v1[service]!(address, grpc.credentials.createInsecure()) as unknown as GrpcClient;
  return { Runs: client('Runs'), Workflows: client('Workflows'), Schedules: client('Schedules') };
}
