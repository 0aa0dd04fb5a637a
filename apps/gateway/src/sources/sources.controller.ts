import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { SOURCE_KINDS, type SourceKind, type SourceResource } from '@spark/contracts';
import { IsIn, IsOptional, IsString, IsUrl, Matches, MaxLength, ValidateIf } from 'class-validator';
import { RequireScope } from '../auth/scopes';
import { ApiProblems } from '../problems/problem.dto';
import { type LangflowFlow, LangflowFlows } from './langflow-flows';
import { SourceStore } from './source-store';

const NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

class UpdateSourceRequestDto {
  @ApiPropertyOptional({ enum: SOURCE_KINDS })
  @IsOptional()
  @IsIn(SOURCE_KINDS)
  kind?: SourceKind;

  @ApiPropertyOptional({ example: 'http://langflow.internal:7860' })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  baseUrl?: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @ApiPropertyOptional({
    description: 'Write-only: stored encrypted (AES-256-GCM), never returned; null removes it',
    type: String,
    nullable: true,
    writeOnly: true,
  })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsString()
  @MaxLength(4096)
  apiKey?: string | null;
}

class CreateSourceRequestDto extends UpdateSourceRequestDto {
  @ApiProperty({ example: 'langflow-main', pattern: NAME.source })
  @Matches(NAME, {
    message: 'name must be 1-63 lower-case letters, digits, "_" or "-", starting with a letter or digit',
  })
  name!: string;

  @ApiProperty({ enum: SOURCE_KINDS })
  @IsIn(SOURCE_KINDS)
  declare kind: SourceKind;

  @ApiProperty({ example: 'http://langflow.internal:7860' })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  declare baseUrl: string;
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
  @ApiOperation({ operationId: 'getSource', summary: 'One source' })
  @ApiOkResponse({ type: SourceDto })
  @ApiProblems(404)
  get(@Param('name') name: string): Promise<SourceResource> {
    return this.sources.get(name);
  }

  @Get(':name/flows')
  @RequireScope('read')
  @ApiOperation({
    operationId: 'listSourceFlows',
    summary: 'The flows on a LangFlow source (GET {baseUrl}/api/v1/flows/ with its stored key)',
  })
  @ApiOkResponse({ type: [LangflowFlowDto] })
  @ApiProblems(400, 404, 502)
  listFlows(@Param('name') name: string): Promise<LangflowFlow[]> {
    return this.flows.list(name);
  }

  @Patch(':name')
  @RequireScope('admin')
  @ApiOperation({
    operationId: 'updateSource',
    summary: 'Change a source (fields left out stay as they are)',
  })
  @ApiOkResponse({ type: SourceDto })
  @ApiProblems(400, 404, 413)
  update(@Param('name') name: string, @Body() body: UpdateSourceRequestDto): Promise<SourceResource> {
    return this.sources.update(name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @RequireScope('admin')
  @ApiOperation({ operationId: 'deleteSource', summary: 'Remove a source' })
  @ApiNoContentResponse()
  @ApiProblems(404)
  async delete(@Param('name') name: string): Promise<void> {
    await this.sources.delete(name);
  }
}
