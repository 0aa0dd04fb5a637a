import * as path from 'node:path';

/**
 * The directory holding the `spark/v1/*.proto` files (the gRPC API, package `spark.v1`): the include
 * root for protoc and @grpc/proto-loader. Copied next to the compiled code by `tools/build`.
 */
export const SPARK_PROTO_DIR: string = path.join(__dirname);

/** The API's proto files, relative to SPARK_PROTO_DIR. */
export const SPARK_PROTO_FILES: readonly string[] = [
  'spark/v1/workflows.proto',
  'spark/v1/runs.proto',
  'spark/v1/schedules.proto',
];
