import * as path from 'node:path';
import { SPARK_PROTO_DIR, SPARK_PROTO_FILES } from '@spark/contracts';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { FileDescriptorProto, type IFileDescriptorProto } from 'protobufjs/ext/descriptor';
import { mapEntryName, reflectionDescriptors } from './reflection-descriptors';

describe('reflection descriptors (what grpcurl and protobuf-go accept)', () => {
  const healthRoot = path.resolve(path.dirname(healthProtoPath), '../..');
  const files = reflectionDescriptors([
    ...SPARK_PROTO_FILES.map((name) => ({ name, root: SPARK_PROTO_DIR })),
    { name: path.relative(healthRoot, healthProtoPath), root: healthRoot },
  ]).map((bytes) => FileDescriptorProto.toObject(FileDescriptorProto.decode(bytes)) as IFileDescriptorProto);
  const file = (name: string) => files.find((candidate) => candidate.name === name)!;
  const message = (fileName: string, name: string) =>
    file(fileName).messageType!.find((m) => m.name === name)!;

  it('serves one file per source file under its import name, with its imports declared', () => {
    expect(files.map((f) => f.name).sort()).toEqual([
      'google/protobuf/struct.proto',
      'google/protobuf/timestamp.proto',
      'health/v1/health.proto',
      'spark/v1/runs.proto',
      'spark/v1/schedules.proto',
      'spark/v1/workflows.proto',
    ]);
    expect(file('spark/v1/runs.proto').dependency).toEqual([
      'google/protobuf/struct.proto',
      'google/protobuf/timestamp.proto',
    ]);
    expect(file('spark/v1/workflows.proto').dependency).toEqual(['google/protobuf/struct.proto']);
    expect(file('google/protobuf/struct.proto').dependency ?? []).toEqual([]);
  });

  it('names map entries FieldNameEntry and references types by their full names', () => {
    const start = message('spark/v1/runs.proto', 'StartRunRequest');
    expect(start.nestedType!.map((n) => n.name)).toEqual(['LabelsEntry']);
    expect(start.field!.find((f) => f.name === 'labels')!.typeName).toBe(
      '.spark.v1.StartRunRequest.LabelsEntry',
    );
    expect(start.field!.find((f) => f.name === 'input')!.typeName).toBe('.google.protobuf.Value');
    const health = message('health/v1/health.proto', 'HealthListResponse');
    expect(health.nestedType![0]!.name).toBe('StatusesEntry');
    expect(health.nestedType![0]!.field![1]!.typeName).toBe('.grpc.health.v1.HealthCheckResponse');
    const struct = message('google/protobuf/struct.proto', 'Struct');
    expect(struct.nestedType![0]!.name).toBe('FieldsEntry');
  });

  it('keeps the source field names and proto3 optional', () => {
    const watch = message('spark/v1/runs.proto', 'WatchRunRequest');
    expect(watch.field!.map((f) => f.name)).toEqual(['run_id', 'after_revision']);
    expect(watch.field![1]).toMatchObject({ proto3Optional: true, oneofIndex: 0 });
    expect(watch.oneofDecl).toEqual([{ name: '_after_revision' }]);
  });

  it('derives the implicit map entry name as protoc does', () => {
    expect(mapEntryName('labels')).toBe('LabelsEntry');
    expect(mapEntryName('step_outputs')).toBe('StepOutputsEntry');
  });
});
