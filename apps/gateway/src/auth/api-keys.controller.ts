import { Body, Controller, Delete, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { API_SCOPES, type ApiKeyResource, type ApiScope, type CreatedApiKey } from '@spark/contracts';
import { NotFoundError } from '@spark/workflow-domain';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Matches } from 'class-validator';
import { ApiPathParam, IsOmittable, PATH_PARAMS, PathParam } from '../http';
import { ProblemException } from '../problems/problem';
import { ApiProblems } from '../problems/problem.dto';
import { ApiKeyStore } from './api-key-store';
import { type AuthenticatedRequest } from './api-key.guard';
import { RequireScope } from './scopes';

const API_KEY_NAME = /^[\w .:-]{1,100}$/;

class CreateApiKeyRequestDto {
  @ApiProperty({ example: 'ci-pipeline', pattern: API_KEY_NAME.source })
  @IsString()
  @Matches(API_KEY_NAME, {
    message: 'name must be 1-100 letters, digits, spaces, "_", ".", ":" or "-"',
  })
  name!: string;

  @ApiProperty({
    enum: API_SCOPES,
    isArray: true,
    minItems: 1,
    uniqueItems: true,
    example: ['read', 'write'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(API_SCOPES, { each: true })
  scopes!: ApiScope[];
}

class RevokeApiKeyQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Must be "true" to revoke the key the request is made with (your own access ends)',
  })
  @IsOmittable()
  @IsIn(['true', 'false'])
  self?: 'true' | 'false';
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
  @ApiPathParam('id', PATH_PARAMS.uuid)
  @ApiOperation({
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key',
    description:
      'The last live admin key cannot be revoked (409 LAST_ADMIN_KEY): create another admin key first. ' +
      'Revoking the key the request is made with needs ?self=true (409 SELF_REVOCATION otherwise). ' +
      'Locked out anyway? `tools/admin-key` issues a new admin key to whoever can reach the database.',
  })
  @ApiNoContentResponse()
  @ApiProblems(400, 404, 409)
  async revoke(
    @PathParam('id', PATH_PARAMS.uuid) id: string,
    @Query() query: RevokeApiKeyQueryDto,
    @Req() request: AuthenticatedRequest,
  ): Promise<void> {
    const outcome = await this.keys.revoke(id, request.apiKey?.id, query.self === 'true');
    if (outcome.revoked) return;
    switch (outcome.reason) {
      case 'NOT_FOUND':
        throw new NotFoundError(`API key ${id} does not exist`);
      case 'SELF_REVOCATION':
        throw ProblemException.illegalState(
          `API key ${id} is the key this request is made with: revoking it ends your own access. Repeat with ?self=true to confirm`,
          'SELF_REVOCATION',
        );
      case 'LAST_ADMIN_KEY':
        throw ProblemException.illegalState(
          `API key ${id} is the last live admin key: revoking it would lock everyone out. Create another admin key first (tools/admin-key recovers a locked-out installation)`,
          'LAST_ADMIN_KEY',
        );
    }
  }
}
