import { randomUUID } from 'node:crypto';
import { Controller, UseFilters, UseGuards } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { type WorkflowDefinition } from '@spark/contracts';
import {
  parseDefinitionText,
  validateWorkflowDefinition,
  ValidationError,
  type ValidationProblem,
} from '@spark/workflow-domain';
import { RequireScope } from '../auth/scopes';
import { ProblemException } from '../problems/problem';
import { GatewayStorage } from '../storage/gateway-storage';
import { type GrpcCall, throwIfCancelled, whileCallLive } from './call-context';
import { GrpcApiKeyGuard } from './grpc-auth.guard';
import { GrpcExceptionFilter } from './grpc-exception.filter';
import { fromStruct, type ProtoStruct, toStruct } from './values';

interface WorkflowSource {
  definition?: ProtoStruct;
  yaml?: string;
  json?: string;
  source?: 'definition' | 'yaml' | 'json';
}

/** The definition as data, from whichever form the request carries. */
function sourceValue(source: WorkflowSource | undefined): unknown {
  switch (
    source?.source ??
    (source?.definition ? 'definition' : source?.yaml ? 'yaml' : source?.json ? 'json' : undefined)
  ) {
    case 'definition':
      return fromStruct(source!.definition);
    case 'yaml':
      return parseDefinitionText(source!.yaml ?? '', 'yaml');
    case 'json':
      return parseDefinitionText(source!.json ?? '', 'json');
    default:
      throw ProblemException.badRequest('A workflow definition is required', [
        { path: 'source', message: 'set definition, yaml or json' },
      ]);
  }
}

const requiredName = (name: string | undefined): string => {
  if (!name)
    throw ProblemException.badRequest('The workflow name is required', [
      { path: 'name', message: 'required' },
    ]);
  return name;
};

/** spark.v1.Workflows: the REST workflow operations over gRPC, on the same catalog. */
@Controller()
@UseGuards(GrpcApiKeyGuard)
@UseFilters(GrpcExceptionFilter)
export class WorkflowsGrpcController {
  constructor(private readonly storage: GatewayStorage) {}

  @GrpcMethod('Workflows', 'RegisterWorkflow')
  @RequireScope('write')
  registerWorkflow(request: { source?: WorkflowSource }, _metadata: unknown, call: GrpcCall) {
    return whileCallLive(call, async (signal) => {
      const result = validateWorkflowDefinition(sourceValue(request.source));
      if (!result.valid)
        throw new ValidationError(result.problems as ValidationProblem[], 'Invalid workflow definition');
      throwIfCancelled(signal);
      const registered = await this.storage.catalog.register(
        result.definition,
        new Date().toISOString(),
        `gateway:${randomUUID()}`,
      );
      return { name: registered.name, version: registered.version, created: registered.created };
    });
  }

  @GrpcMethod('Workflows', 'ValidateWorkflow')
  @RequireScope('read')
  validateWorkflow(request: { source?: WorkflowSource }) {
    let value: unknown;
    try {
      value = sourceValue(request.source);
    } catch (error) {
      if (error instanceof ValidationError) return { valid: false, errors: error.problems };
      throw error;
    }
    const result = validateWorkflowDefinition(value);
    return result.valid
      ? { valid: true, name: result.definition.name, version: result.definition.version, errors: [] }
      : { valid: false, errors: result.problems };
  }

  @GrpcMethod('Workflows', 'GetWorkflow')
  @RequireScope('read')
  getWorkflow(request: { name?: string; version?: number }, _metadata: unknown, call: GrpcCall) {
    const name = requiredName(request.name);
    if (request.version !== undefined && request.version < 0)
      throw ProblemException.badRequest('The version must be a positive integer', [
        { path: 'version', message: 'must be a positive integer' },
      ]);
    return whileCallLive(call, async () => {
      const definition: WorkflowDefinition = await this.storage.catalog.get(
        name,
        request.version || undefined,
      );
      return {
        name: definition.name,
        version: definition.version,
        definition: toStruct(definition as unknown as Record<string, unknown>),
      };
    });
  }

  @GrpcMethod('Workflows', 'ListWorkflowVersions')
  @RequireScope('read')
  listWorkflowVersions(request: { name?: string }, _metadata: unknown, call: GrpcCall) {
    const name = requiredName(request.name);
    return whileCallLive(call, async () => {
      const versions = await this.storage.catalog.versions(name);
      if (versions.length === 0) throw ProblemException.notFound(`workflow "${name}" is not registered`);
      return {
        versions: versions.map((definition) => ({
          name: definition.name,
          version: definition.version,
          ...(definition.description ? { description: definition.description } : {}),
          steps: definition.steps.length,
        })),
      };
    });
  }
}
