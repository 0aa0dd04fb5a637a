/**
 * The generated gRPC service definitions and message classes the KurrentDB client ships. The double
 * builds its server from them, so both ends share one wire format. (Loading them next to the client is
 * safe; loading @eventstore/db-client in the same process is not.)
 */
import * as serverFeaturesGrpc from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb';
import * as serverFeatures from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_pb';
import * as shared from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb';
import * as streamsGrpc from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb';
import * as streams from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';

export { serverFeatures, serverFeaturesGrpc, shared, streams, streamsGrpc };
