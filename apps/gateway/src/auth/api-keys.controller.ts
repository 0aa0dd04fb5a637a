import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { API_SCOPES, type ApiKeyResource, type ApiScope, type CreatedApiKey } from '@spark/contracts';
import { NotFoundError } from '@spark/workflow-domain';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Matches } from 'class-validator';
import { ProblemException } from '../problems/problem';
import { ApiProblems } from '../problems/problem.dto';
import { ApiKeyStore } from './api-key-store';
import { RequireScope } from './scopes';

class CreateApiKeyRequestDto {
  @ApiProperty({ example: 'ci-pipeline' })
  @IsString()
  @Matches(/^[\w .:-]{1,100}$/, {
    message: 'name must be 1-100 letters, digits, spaces, "_", ".", ":" or "-"',
  })
  name!: string;

  @ApiProperty({ enum: API_SCOPES, isArray: true, example: ['read', 'write'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(API_SCOPES, { each: true })
  scopes!: ApiScope[];
}

class ApiKeyDto implements ApiKeyResource {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: API_SCOPES, isArray: true }) scopes!: ApiScope[];
  @ApiProperty({ description: 'The first characters of the key, to recognise it' }) prefix!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

class CreatedApiKeyDto extends ApiKeyDto implements CreatedApiKey {
  @ApiProperty({ description: 'The bearer token: shown this once, stored only as a SHA-256 hash' })
  key!: string;
}

/** API keys: admin only. */
@ApiTags('api-keys')
@RequireScope('admin')
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyStore) {}

  @Post()
  @ApiOperation({ operationId: 'createApiKey', summary: 'Create an API key (the key is returned once)' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiProblems(400)
  create(@Body() body: CreateApiKeyRequestDto): Promise<CreatedApiKey> {
    return this.keys.create(body.name, body.scopes);
  }

  @Get()
  @ApiOperation({ operationId: 'listApiKeys', summary: 'Live API keys (never the keys themselves)' })
  @ApiOkResponse({ type: [ApiKeyDto] })
  @ApiProblems()
  list(): Promise<ApiKeyResource[]> {
    return this.keys.list();
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'revokeApiKey', summary: 'Revoke an API key' })
  @ApiNoContentResponse()
  @ApiProblems(400, 404)
  async revoke(
    @Param(
      'id',
      new ParseUUIDPipe({
        exceptionFactory: () =>
          ProblemException.badRequest('The id must be a UUID', [
            { path: 'path:id', message: 'must be a UUID' },
          ]),
      }),
    )
    id: string,
  ): Promise<void> {
    if (!(await this.keys.revoke(id))) throw new NotFoundError(`API key ${id} does not exist`);
  }
}
