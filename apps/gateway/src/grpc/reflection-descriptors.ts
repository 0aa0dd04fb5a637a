import * as fs from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import {
  FileDescriptorProto,
  type IDescriptorProto,
  type IFieldDescriptorProto,
  type IFileDescriptorProto,
  type IServiceDescriptorProto,
} from 'protobufjs/ext/descriptor';

/** A proto file to serve through reflection: its path on disk and the name clients know it by. */
export interface ReflectedProto {
  /** The import name, e.g. `spark/v1/runs.proto` (what other files' `import` lines say). */
  name: string;
  /** The include root it is found under: `path.join(root, name)` is the file. */
  root: string;
}

/**
 * The file descriptors server reflection serves, one per source file under its import name, built
 * with the source's field names (keepCase). @grpc/proto-loader's descriptors cannot be served as they
 * are to strict clients (grpcurl, protobuf-go): protobufjs' `toDescriptor` merges files per package,
 * declares no `dependency` (google/protobuf/struct.proto is then "cannot resolve type"), names map
 * entries `Labels` instead of `LabelsEntry` ("invalid map: incorrect implicit map entry name"), and
 * drops `proto3_optional`. This builds them from protobufjs' model and fixes those three.
 */
export function reflectionDescriptors(protos: readonly ReflectedProto[]): Uint8Array[] {
  const root = new protobuf.Root();
  const roots = [...new Set(protos.map((proto) => proto.root))];
  root.resolvePath = (origin, target) => {
    if (path.isAbsolute(target)) return target;
    for (const dir of roots) {
      const candidate = path.join(dir, target);
      if (fs.existsSync(candidate)) return candidate;
    }
    return protobuf.util.path.resolve(origin, target);
  };
  root.loadSync(
    protos.map((proto) => path.join(proto.root, proto.name)),
    { keepCase: true },
  );
  root.resolveAll();

  // Loaded files are named by their absolute path; protobufjs' bundled google/protobuf types by none.
  const importName = (object: protobuf.ReflectionObject): string => {
    const filename = object.filename;
    if (!filename) {
      const wellKnown = WELL_KNOWN_FILES[object.fullName];
      if (!wellKnown) throw new Error(`reflection: no source file known for ${object.fullName}`);
      return wellKnown;
    }
    for (const dir of roots) {
      const relative = path.relative(dir, filename);
      if (!relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).join('/');
    }
    return filename;
  };

  const files = new Map<string, { pkg: string; members: protobuf.ReflectionObject[] }>();
  const fileOf = new Map<string, string>(); // fully qualified name (leading dot) → import name
  const collect = (namespace: protobuf.NamespaceBase): void => {
    for (const nested of namespace.nestedArray) {
      if (
        nested instanceof protobuf.Type ||
        nested instanceof protobuf.Enum ||
        nested instanceof protobuf.Service
      ) {
        const name = importName(nested);
        const file = files.get(name) ?? { pkg: namespace.fullName.slice(1), members: [] };
        file.members.push(nested);
        files.set(name, file);
        indexNames(nested, name);
      } else if (nested instanceof protobuf.Namespace) collect(nested);
    }
  };
  const indexNames = (object: protobuf.ReflectionObject, file: string): void => {
    fileOf.set(object.fullName, file);
    if (object instanceof protobuf.Type) for (const nested of object.nestedArray) indexNames(nested, file);
  };
  collect(root);

  return [...files].map(([name, { pkg, members }]) => {
    const references = new Set<string>();
    const descriptor: IFileDescriptorProto = {
      name,
      package: pkg,
      syntax: 'proto3',
      messageType: [],
      enumType: [],
      service: [],
    };
    for (const member of members) {
      if (member instanceof protobuf.Type) descriptor.messageType!.push(message(member, references));
      else if (member instanceof protobuf.Enum) descriptor.enumType!.push(toDescriptor(member) as never);
      else if (member instanceof protobuf.Service) descriptor.service!.push(service(member, references));
    }
    descriptor.dependency = [...new Set([...references].map((ref) => fileOf.get(ref)!))]
      .filter((file) => file !== undefined && file !== name)
      .sort();
    return FileDescriptorProto.encode(descriptor as protobuf.Message).finish();
  });
}

const WELL_KNOWN_FILES: Record<string, string> = Object.fromEntries(
  Object.entries({
    any: ['Any'],
    duration: ['Duration'],
    empty: ['Empty'],
    field_mask: ['FieldMask'],
    struct: ['Struct', 'Value', 'ListValue', 'NullValue'],
    timestamp: ['Timestamp'],
    wrappers: [
      'DoubleValue',
      'FloatValue',
      'Int64Value',
      'UInt64Value',
      'Int32Value',
      'UInt32Value',
      'BoolValue',
      'StringValue',
      'BytesValue',
    ],
  }).flatMap(([file, names]) =>
    names.map((name) => [`.google.protobuf.${name}`, `google/protobuf/${file}.proto`]),
  ),
);

/** protoc's (and protobuf-go's) implicit map entry name: `foo_bar` → `FooBarEntry`. */
export const mapEntryName = (field: string): string =>
  field
    .split('_')
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('') + 'Entry';

// protobufjs/ext/descriptor adds toDescriptor to the reflection classes at load time; its typings do not say so.
const toDescriptor = (object: protobuf.ReflectionObject, edition?: string): unknown =>
  (object as unknown as { toDescriptor(edition?: string): unknown }).toDescriptor(edition);

function message(type: protobuf.Type, references: Set<string>): IDescriptorProto {
  const descriptor = toDescriptor(type, 'proto3') as IDescriptorProto;
  const fields = descriptor.field ?? [];
  const nestedTypes = descriptor.nestedType ?? [];
  const entries = nestedTypes.filter((nested) => nested.options?.mapEntry);
  const entryDescriptors = new Map(entries.map((entry) => [entry.name, entry]));
  type.fieldsArray.forEach((field, index) => {
    const fieldDescriptor = fields[index]!;
    if (field.map) {
      const entry = entryDescriptors.get(fieldDescriptor.typeName ?? '')!;
      entry.name = mapEntryName(field.name);
      fieldDescriptor.typeName = `${type.fullName}.${entry.name}`;
      const value = entry.field?.[1];
      if (value && field.resolvedType) {
        value.typeName = field.resolvedType.fullName;
        references.add(field.resolvedType.fullName);
      }
    } else if (field.resolvedType) {
      fieldDescriptor.typeName = field.resolvedType.fullName;
      references.add(field.resolvedType.fullName);
    }
    if (field.options?.proto3_optional)
      (fieldDescriptor as IFieldDescriptorProto & { proto3Optional?: boolean }).proto3Optional = true;
  });
  for (const nested of type.nestedArray) {
    if (!(nested instanceof protobuf.Type)) continue;
    const index = nestedTypes.findIndex(
      (candidate) => candidate.name === nested.name && !candidate.options?.mapEntry,
    );
    if (index >= 0) nestedTypes[index] = message(nested, references);
  }
  return descriptor;
}

function service(svc: protobuf.Service, references: Set<string>): IServiceDescriptorProto {
  const descriptor = toDescriptor(svc) as IServiceDescriptorProto;
  svc.methodsArray.forEach((method, index) => {
    const methodDescriptor = descriptor.method![index]!;
    method.resolve();
    methodDescriptor.inputType = method.resolvedRequestType!.fullName;
    methodDescriptor.outputType = method.resolvedResponseType!.fullName;
    references.add(methodDescriptor.inputType);
    references.add(methodDescriptor.outputType);
  });
  return descriptor;
}
