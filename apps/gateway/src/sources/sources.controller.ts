import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { SOURCE_KINDS, type SourceKind, type SourceResource } from '@spark/contracts';
import { IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { RequireScope } from '../auth/scopes';
import { ApiPathParam, IsOmittable, PATH_PARAMS, PathParam, requireSomeField } from '../http';
import { ApiProblems } from '../problems/problem.dto';
import { type LangflowFlow, LangflowFlows } from './langflow-flows';
import { SourceStore } from './source-store';

const NAME = PATH_PARAMS.sourceName.pattern;

/** An http(s) URL: host name or IPv4 address, an optional port, an optional path; the document states the same. */
const BASE_URL_PATTERN =
  '^https?://[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(:[1-9][0-9]{0,4})?(/[A-Za-z0-9._~-]*)*$';

/** The optional fields both requests share; `kind` and `baseUrl` differ (required to create, optional to change). */
class SourceDetailsDto {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOmittable()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @ApiPropertyOptional({
    description: 'Write-only: stored encrypted (AES-256-GCM), never returned; null removes it',
    type: String,
    nullable: true,
    writeOnly: true,
    maxLength: 4096,
  })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsString()
  @MaxLength(4096)
  apiKey?: string | null;
}

class UpdateSourceRequestDto extends SourceDetailsDto {
  @ApiPropertyOptional({ enum: SOURCE_KINDS })
  @IsOmittable()
  @IsIn(SOURCE_KINDS)
  kind?: SourceKind;

  @ApiPropertyOptional({ example: 'http://langflow.internal:7860', pattern: BASE_URL_PATTERN })
  @IsOmittable()
  @Matches(new RegExp(BASE_URL_PATTERN), {
    message: 'baseUrl must be an http(s) URL: host, optional port, optional path',
  })
  baseUrl?: string;
}

const UPDATABLE_SOURCE_FIELDS = ['kind', 'baseUrl', 'description', 'apiKey'] as const;

class CreateSourceRequestDto extends SourceDetailsDto {
  @ApiProperty({ example: 'langflow-main', pattern: NAME.source })
  @Matches(NAME, {
    message: 'name must be 1-63 lower-case letters, digits, "_" or "-", starting with a letter or digit',
  })
  name!: string;

  @ApiProperty({ enum: SOURCE_KINDS })
  @IsIn(SOURCE_KINDS)
  kind!: SourceKind;

  @ApiProperty({ example: 'http://langflow.internal:7860', pattern: BASE_URL_PATTERN })
  @Matches(new RegExp(BASE_URL_PATTERN), {
    message: 'baseUrl must be an http(s) URL: host, optional port, optional path',
  })
  baseUrl!: string;
}

class SourceDto implements SourceResource {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: SOURCE_KINDS }) kind!: SourceKind;
  @ApiProperty() baseUrl!: string;
  @ApiProperty({ description: 'Whether an API key is stored (the key itself is never returned)' })
  hasApiKey!: boolean;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

class LangflowFlowDto implements LangflowFlow {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ description: "LangFlow's endpoint_name" }) endpointName?: string;
  @ApiPropertyOptional() description?: string;
}

/** LangFlow and AutoMagik agent servers that steps reference by name. Changing them needs admin. */
@ApiTags('sources')
@ApiExtraModels(UpdateSourceRequestDto)
@Controller('api/v1/sources')
export class SourcesController {
  constructor(
    private readonly sources: SourceStore,
    private readonly flows: LangflowFlows,
  ) {}

  @Post()
  @RequireScope('admin')
  @ApiOperation({ operationId: 'createSource', summary: 'Register a source' })
  @ApiCreatedResponse({ type: SourceDto })
  @ApiProblems(400, 409, 413)
  create(@Body() body: CreateSourceRequestDto): Promise<SourceResource> {
    return this.sources.create(body);
  }

  @Get()
  @RequireScope('read')
  @ApiOperation({ operationId: 'listSources', summary: 'Every source, by name' })
  @ApiOkResponse({ type: [SourceDto] })
  @ApiProblems()
  list(): Promise<SourceResource[]> {
    return this.sources.list();
  }

  @Get(':name')
  @RequireScope('read')
  @ApiPathParam('name', PATH_PARAMS.sourceName)
  @ApiOperation({ operationId: 'getSource', summary: 'One source' })
  @ApiOkResponse({ type: SourceDto })
  @ApiProblems(400, 404)
  get(@PathParam('name', PATH_PARAMS.sourceName) name: string): Promise<SourceResource> {
    return this.sources.get(name);
  }

  @Get(':name/flows')
  @RequireScope('read')
  @ApiPathParam('name', PATH_PARAMS.sourceName)
  @ApiOperation({
    operationId: 'listSourceFlows',
    summary: 'The flows on a LangFlow source (GET {baseUrl}/api/v1/flows/ with its stored key)',
  })
  @ApiOkResponse({ type: [LangflowFlowDto] })
  @ApiProblems(400, 404, 409, 502)
  listFlows(@PathParam('name', PATH_PARAMS.sourceName) name: string): Promise<LangflowFlow[]> {
    return this.flows.list(name);
  }

  @Patch(':name')
  @RequireScope('admin')
  @ApiPathParam('name', PATH_PARAMS.sourceName)
  @ApiOperation({
    operationId: 'updateSource',
    summary: 'Change a source (fields left out stay as they are)',
  })
  @ApiBody({ schema: { allOf: [{ $ref: getSchemaPath(UpdateSourceRequestDto) }], minProperties: 1 } })
  @ApiOkResponse({ type: SourceDto })
  @ApiProblems(400, 404, 413)
  update(
    @PathParam('name', PATH_PARAMS.sourceName) name: string,
    @Body() body: UpdateSourceRequestDto,
  ): Promise<SourceResource> {
    requireSomeField(body, UPDATABLE_SOURCE_FIELDS);
    return this.sources.update(name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @RequireScope('admin')
  @ApiPathParam('name', PATH_PARAMS.sourceName)
  @ApiOperation({ operationId: 'deleteSource', summary: 'Remove a source' })
  @ApiNoContentResponse()
  @ApiProblems(400, 404)
  async delete(@PathParam('name', PATH_PARAMS.sourceName) name: string): Promise<void> {
    await this.sources.delete(name);
  }
}
