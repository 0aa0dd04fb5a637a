import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { InMemoryLog } from './in-memory-log';
import { serverFeatures, serverFeaturesGrpc, streamsGrpc } from './protocol';
import { streamsService } from './streams-service';

/** What the double tells the client it serves. BatchAppend is left out: the client then uses Append. */
const ADVERTISED_METHODS = [
  { service: 'event_store.client.streams.Streams', method: 'Append' },
  { service: 'event_store.client.streams.Streams', method: 'Read' },
  { service: 'event_store.client.server_features.ServerFeatures', method: 'GetSupportedMethods' },
];

/**
 * A wire-level test double of an EventStoreDB/KurrentDB node: a real gRPC server on loopback speaking
 * the client's protocol (ServerFeatures, Streams.Append, Streams.Read incl. $all subscriptions) over an
 * in-memory log. For tests only: it exists so CI exercises the real client code path.
 */
export class EventStoreDbDouble {
  readonly log = new InMemoryLog();
  private readonly server = new Server({ 'grpc.max_receive_message_length': 32 * 1024 * 1024 });
  private port: number | undefined;

  private constructor() {
    this.server.addService(streamsGrpc.StreamsService, streamsService(this.log));
    this.server.addService(serverFeaturesGrpc.ServerFeaturesService, {
      getSupportedMethods: (_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
        const supported = new serverFeatures.SupportedMethods();
        supported.setEventStoreServerVersion('24.10.0');
        supported.setMethodsList(
          ADVERTISED_METHODS.map(({ service, method }) => {
            const entry = new serverFeatures.SupportedMethod();
            entry.setServiceName(service);
            entry.setMethodName(method);
            return entry;
          }),
        );
        callback(null, supported);
      },
    });
  }

  static async start(): Promise<EventStoreDbDouble> {
    const double = new EventStoreDbDouble();
    double.port = await new Promise<number>((resolve, reject) =>
      double.server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    return double;
  }

  /** A connection string for the official client. */
  get connectionString(): string {
    if (this.port === undefined) throw new Error('The double is not started');
    return `kurrentdb://127.0.0.1:${this.port}?tls=false`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
    this.server.forceShutdown();
  }
}
