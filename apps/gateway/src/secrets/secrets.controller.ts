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
import { SECRET_NAME_PATTERN } from '@spark/contracts';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ApiPathParam, IsOmittable, PathParam, type PathParamRule } from '../http';
import { RequireScope } from '../auth/scopes';
import { ProblemException } from '../problems/problem';
import { ApiProblems } from '../problems/problem.dto';
import { type SecretResource, SecretStore } from './secret-store';

// PostgreSQL text cannot hold U+0000.
// eslint-disable-next-line no-control-regex
const NO_NUL = /^[^\u0000]*$/;
const VALUE_DESCRIPTION = 'Write-only: stored encrypted (AES-256-GCM), never returned';

/** The optional field both requests share; `value` is required to create, optional to change. */
class SecretDetailsDto {
  @ApiPropertyOptional({ maxLength: 1000, pattern: NO_NUL.source })
  @IsOmittable()
  @IsString()
  @MaxLength(1000)
  @Matches(NO_NUL, { message: 'description must not contain NUL characters' })
  description?: string;
}

class UpdateSecretRequestDto extends SecretDetailsDto {
  @ApiPropertyOptional({ description: VALUE_DESCRIPTION, writeOnly: true, minLength: 1, maxLength: 8192 })
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(8192)
  value?: string;
}

class CreateSecretRequestDto extends SecretDetailsDto {
  @ApiProperty({ example: 'billing-token', pattern: SECRET_NAME_PATTERN.source })
  @Matches(SECRET_NAME_PATTERN, {
    message: 'name must be 1-63 lower-case letters, digits, "_" or "-", starting with a letter or digit',
  })
  name!: string;

  @ApiProperty({ description: VALUE_DESCRIPTION, writeOnly: true, minLength: 1, maxLength: 8192 })
  @IsString()
  @MinLength(1)
  @MaxLength(8192)
  value!: string;
}

const SECRET_NAME: PathParamRule = {
  pattern: SECRET_NAME_PATTERN,
  what: 'a secret name',
  description: 'Secret name',
};

class SecretDto implements SecretResource {
  @ApiProperty() name!: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/**
 * Named secrets (tokens, passwords) that `http` steps send as header references
 * (`{ "secret": "<name>", "prefix": "Bearer " }`), resolved by the executor when an attempt runs: the value
 * is in no definition, event or read model. Values are write-only; reading and changing them needs admin.
 */
@ApiTags('secrets')
@ApiExtraModels(UpdateSecretRequestDto)
@Controller('api/v1/secrets')
export class SecretsController {
  constructor(private readonly secrets: SecretStore) {}

  @Post()
  @RequireScope('admin')
  @ApiOperation({ operationId: 'createSecret', summary: 'Register a secret' })
  @ApiCreatedResponse({ type: SecretDto })
  @ApiProblems(400, 409, 413, 503)
  create(@Body() body: CreateSecretRequestDto): Promise<SecretResource> {
    return this.secrets.create(body);
  }

  @Get()
  @RequireScope('admin')
  @ApiOperation({ operationId: 'listSecrets', summary: 'Every secret, by name (never a value)' })
  @ApiOkResponse({ type: [SecretDto] })
  @ApiProblems()
  list(): Promise<SecretResource[]> {
    return this.secrets.list();
  }

  @Get(':name')
  @RequireScope('admin')
  @ApiPathParam('name', SECRET_NAME)
  @ApiOperation({ operationId: 'getSecret', summary: 'One secret (never its value)' })
  @ApiOkResponse({ type: SecretDto })
  @ApiProblems(400, 404)
  get(@PathParam('name', SECRET_NAME) name: string): Promise<SecretResource> {
    return this.secrets.get(name);
  }

  @Patch(':name')
  @RequireScope('admin')
  @ApiPathParam('name', SECRET_NAME)
  @ApiOperation({ operationId: 'updateSecret', summary: 'Rotate a secret or change its description' })
  @ApiBody({ schema: { allOf: [{ $ref: getSchemaPath(UpdateSecretRequestDto) }], minProperties: 1 } })
  @ApiOkResponse({ type: SecretDto })
  @ApiProblems(400, 404, 413, 503)
  update(
    @PathParam('name', SECRET_NAME) name: string,
    @Body() body: UpdateSecretRequestDto,
  ): Promise<SecretResource> {
    if (body?.value === undefined && body?.description === undefined)
      throw ProblemException.badRequest('Nothing to change: send a new value and/or description', [
        { path: '$', message: 'must have value or description' },
      ]);
    return this.secrets.update(name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @RequireScope('admin')
  @ApiPathParam('name', SECRET_NAME)
  @ApiOperation({ operationId: 'deleteSecret', summary: 'Remove a secret' })
  @ApiNoContentResponse()
  @ApiProblems(400, 404)
  async delete(@PathParam('name', SECRET_NAME) name: string): Promise<void> {
    await this.secrets.delete(name);
  }
}
