import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Param, ParseIntPipe, Post, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { type WorkflowDefinition } from '@spark/contracts';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import {
  ConflictError,
  parseDefinitionText,
  validateWorkflowDefinition,
  ValidationError,
  type ValidationProblem,
} from '@spark/workflow-domain';
import type { Response } from 'express';
import { RequireScope } from '../auth/scopes';
import { ApiPathParam, IsOmittable, PATH_PARAMS, PathParam, YAML_MEDIA_TYPES } from '../http';
import { ProblemException } from '../problems/problem';
import { ApiProblems, FieldErrorDto } from '../problems/problem.dto';
import { LangflowFlows } from '../sources/langflow-flows';
import { GatewayStorage } from '../storage/gateway-storage';

class RegisteredWorkflowDto {
  @ApiProperty() name!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ description: 'false when this exact version was registered before (no change)' })
  created!: boolean;
}

class ValidationResultDto {
  @ApiProperty() valid!: boolean;
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional() version?: number;
  @ApiProperty({ type: [FieldErrorDto] }) errors!: FieldErrorDto[];
}

class WorkflowVersionSummaryDto {
  @ApiProperty() name!: string;
  @ApiProperty() version!: number;
  @ApiPropertyOptional() description?: string;
  @ApiProperty() steps!: number;
}

class ImportLangflowRequestDto {
  @ApiProperty({
    description: 'A registered LangFlow source',
    example: 'langflow-main',
    pattern: PATH_PARAMS.sourceName.pattern.source,
  })
  @IsString()
  @Matches(PATH_PARAMS.sourceName.pattern, { message: 'source must be a source name' })
  source!: string;

  @ApiProperty({ description: 'The flow id on that server', minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  flowId!: string;

  @ApiPropertyOptional({
    description: "Workflow name (default: the flow's endpoint name, else its name)",
    pattern: PATH_PARAMS.workflowName.pattern.source,
  })
  @IsOmittable()
  @Matches(PATH_PARAMS.workflowName.pattern, {
    message: 'must be lower-case letters, digits, ".", "_" or "-"',
  })
  name?: string;
}

const DEFINITION_BODY = ApiBody({
  description:
    'A workflow definition (JSON, or YAML with content-type application/yaml); its JSON Schema is `workflowDefinitionSchema` in @spark/contracts',
  schema: {
    type: 'object',
    additionalProperties: true,
    example: { name: 'hello', version: 1, steps: [{ id: 'a', type: 'task', handler: 'noop' }] },
  },
});

/** Workflow definitions: immutable versions in the `workflow-<name>` streams. */
@ApiTags('workflows')
@Controller('api/v1/workflows')
export class WorkflowsController {
  constructor(
    private readonly storage: GatewayStorage,
    private readonly flows: LangflowFlows,
  ) {}

  @Post()
  @RequireScope('write')
  @ApiConsumes('application/json', 'application/yaml')
  @DEFINITION_BODY
  @ApiOperation({
    operationId: 'registerWorkflow',
    summary: 'Register a workflow version',
    description:
      'Versions are immutable: the same version with the same content is a no-op (200), with other content 409.',
  })
  @ApiCreatedResponse({ type: RegisteredWorkflowDto })
  @ApiOkResponse({ type: RegisteredWorkflowDto, description: 'Already registered with this content' })
  @ApiProblems(400, 409, 413, 415, 422)
  async register(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RegisteredWorkflowDto> {
    const definition = toDefinition(body, contentType);
    const registered = await this.storage.catalog.register(
      definition,
      new Date().toISOString(),
      `gateway:${randomUUID()}`,
    );
    response.status(registered.created ? 201 : 200);
    response.location(
      `/api/v1/workflows/${encodeURIComponent(registered.name)}/versions/${registered.version}`,
    );
    return registered;
  }

  @Post('import-langflow')
  @RequireScope('write')
  @ApiOperation({
    operationId: 'importLangflowFlow',
    summary: 'Register a one-step workflow that runs a flow of a LangFlow source',
    description:
      'Run it with input {"message": "..."}. Importing the same flow again is a no-op (200); when the generated definition differs from the latest version, a new version is registered.',
  })
  @ApiCreatedResponse({ type: RegisteredWorkflowDto })
  @ApiOkResponse({ type: RegisteredWorkflowDto, description: 'Already registered with this content' })
  @ApiProblems(400, 404, 409, 502)
  async importLangflow(
    @Body() body: ImportLangflowRequestDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RegisteredWorkflowDto> {
    const flow = await this.flows.get(body.source, body.flowId);
    const name = body.name ?? workflowNameFor(flow.endpointName ?? flow.name, flow.id);
    const latest = (await this.storage.catalog.versions(name)).at(-1);
    const definition = (version: number) => ({
      name,
      version,
      description: `LangFlow flow "${flow.name}" (${flow.id}) on source ${body.source}`,
      inputSchema: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } },
      steps: [
        {
          id: 'flow',
          type: 'task',
          handler: 'langflow',
          config: { source: body.source, flowId: flow.id },
          input: '=input.message',
        },
      ],
      output: 'steps.flow.output',
    });
    const register = (version: number) =>
      this.storage.catalog.register(
        toDefinition(definition(version), 'application/json'),
        new Date().toISOString(),
        `gateway:${randomUUID()}`,
      );
    let registered;
    try {
      registered = await register(latest?.version ?? 1);
    } catch (error) {
      if (!(error instanceof ConflictError) || !latest) throw error;
      registered = await register(latest.version + 1);
    }
    response.status(registered.created ? 201 : 200);
    response.location(
      `/api/v1/workflows/${encodeURIComponent(registered.name)}/versions/${registered.version}`,
    );
    return registered;
  }

  @Post('validate')
  @HttpCode(200)
  @RequireScope('read')
  @ApiConsumes('application/json', 'application/yaml')
  @DEFINITION_BODY
  @ApiOperation({
    operationId: 'validateWorkflow',
    summary: 'Validate a definition without registering it',
    description:
      'Answers 200 with valid=false and every problem (with its JSON path) when the definition is invalid; a body that is not an object (or YAML mapping) is a 400.',
  })
  @ApiOkResponse({ type: ValidationResultDto })
  @ApiProblems(400, 413, 415)
  validate(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): ValidationResultDto {
    let value: unknown;
    try {
      value = parseBody(body, contentType);
    } catch (error) {
      if (error instanceof ValidationError) return { valid: false, errors: error.problems };
      throw error;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw ProblemException.badRequest('The body must be a JSON object or a YAML mapping', [
        { path: '$', message: 'must be an object' },
      ]);
    const result = validateWorkflowDefinition(value);
    return result.valid
      ? { valid: true, name: result.definition.name, version: result.definition.version, errors: [] }
      : { valid: false, errors: result.problems };
  }

  @Get(':name')
  @RequireScope('read')
  @ApiPathParam('name', PATH_PARAMS.workflowName)
  @ApiOperation({ operationId: 'getWorkflow', summary: 'The latest version of a workflow' })
  @ApiOkResponse({
    schema: { type: 'object', additionalProperties: true },
    description: 'The workflow definition',
  })
  @ApiProblems(400, 404)
  get(@PathParam('name', PATH_PARAMS.workflowName) name: string): Promise<WorkflowDefinition> {
    return this.storage.catalog.get(name);
  }

  @Get(':name/versions')
  @RequireScope('read')
  @ApiPathParam('name', PATH_PARAMS.workflowName)
  @ApiOperation({ operationId: 'listWorkflowVersions', summary: 'Every version of a workflow, oldest first' })
  @ApiOkResponse({ type: [WorkflowVersionSummaryDto] })
  @ApiProblems(400, 404)
  async versions(
    @PathParam('name', PATH_PARAMS.workflowName) name: string,
  ): Promise<WorkflowVersionSummaryDto[]> {
    const versions = await this.storage.catalog.versions(name);
    if (versions.length === 0) throw ProblemException.notFound(`workflow "${name}" is not registered`);
    return versions.map((definition) => ({
      name: definition.name,
      version: definition.version,
      ...(definition.description ? { description: definition.description } : {}),
      steps: definition.steps.length,
    }));
  }

  @Get(':name/versions/:version')
  @RequireScope('read')
  @ApiPathParam('name', PATH_PARAMS.workflowName)
  @ApiParam({ name: 'version', schema: { type: 'integer', minimum: 1, maximum: 2147483647 } })
  @ApiOperation({ operationId: 'getWorkflowVersion', summary: 'One version of a workflow' })
  @ApiOkResponse({
    schema: { type: 'object', additionalProperties: true },
    description: 'The workflow definition',
  })
  @ApiProblems(400, 404)
  getVersion(
    @PathParam('name', PATH_PARAMS.workflowName) name: string,
    @Param('version', new ParseIntPipe({ exceptionFactory: () => versionProblem() })) version: number,
  ): Promise<WorkflowDefinition> {
    if (version < 1) throw versionProblem();
    return this.storage.catalog.get(name, version);
  }
}

/** A workflow name from a flow's endpoint name or name: lower case, other characters as "-". */
function workflowNameFor(label: string, flowId: string): string {
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, 128);
  return slug || `langflow-${flowId.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 128);
}

const versionProblem = () =>
  ProblemException.badRequest('The version must be a positive integer', [
    { path: 'path:version', message: 'must be a positive integer' },
  ]);

/** The body as data: YAML text parsed, JSON already parsed by the body parser. */
function parseBody(body: unknown, contentType: string | undefined): unknown {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (YAML_MEDIA_TYPES.includes(mediaType)) {
    if (typeof body !== 'string' || body.trim() === '')
      throw ProblemException.badRequest('The YAML body is empty', [{ path: '$', message: 'empty body' }]);
    return parseDefinitionText(body, 'yaml');
  }
  if (mediaType !== 'application/json' && !mediaType.endsWith('+json')) {
    throw new ProblemException({
      type: 'https://spark.dev/problems/unsupported-media-type',
      title: 'Unsupported media type',
      status: 415,
      detail: `Send the definition as application/json or application/yaml, not "${mediaType || 'no content type'}"`,
    });
  }
  return body;
}

function toDefinition(body: unknown, contentType: string | undefined): WorkflowDefinition {
  const value = parseBody(body, contentType);
  const result = validateWorkflowDefinition(value);
  if (!result.valid)
    throw new ValidationError(result.problems as ValidationProblem[], 'Invalid workflow definition');
  return result.definition;
}
