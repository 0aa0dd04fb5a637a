import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type TriggerResource, type WebhookTriggerWithSecret } from '@spark/contracts';
import { RequireScope } from '../auth/scopes';
import { ApiPathParam, PATH_PARAMS, PathParam } from '../http';
import { ApiProblems } from '../problems/problem.dto';
import { TriggerService } from './trigger-service';
import { CreatedTriggerDto, CreateTriggerRequestDto, TriggerDto } from './triggers.dto';

const TriggerId = () => PathParam('id', PATH_PARAMS.uuid);

/**
 * Webhook and Kafka triggers. Changing them needs admin: a trigger is a standing permission to start
 * runs, and a webhook trigger hands out a credential (its secret), as creating an API key does.
 */
@ApiTags('triggers')
@Controller('api/v1/triggers')
export class TriggersController {
  constructor(private readonly triggers: TriggerService) {}

  @Post()
  @RequireScope('admin')
  @ApiOperation({
    operationId: 'createTrigger',
    summary: 'Create a webhook or Kafka trigger (a webhook secret is returned this once)',
  })
  @ApiCreatedResponse({ type: CreatedTriggerDto })
  @ApiProblems(400, 413, 422)
  create(@Body() body: CreateTriggerRequestDto): Promise<TriggerResource | WebhookTriggerWithSecret> {
    return this.triggers.create(body);
  }

  @Get()
  @RequireScope('read')
  @ApiOperation({ operationId: 'listTriggers', summary: 'Every trigger, oldest first (never secrets)' })
  @ApiOkResponse({ type: [TriggerDto] })
  @ApiProblems()
  list(): Promise<TriggerResource[]> {
    return this.triggers.list();
  }

  @Get(':id')
  @RequireScope('read')
  @ApiPathParam('id', PATH_PARAMS.uuid)
  @ApiOperation({ operationId: 'getTrigger', summary: 'One trigger (never its secret)' })
  @ApiOkResponse({ type: TriggerDto })
  @ApiProblems(400, 404)
  get(@TriggerId() id: string): Promise<TriggerResource> {
    return this.triggers.get(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScope('admin')
  @ApiPathParam('id', PATH_PARAMS.uuid)
  @ApiOperation({ operationId: 'deleteTrigger', summary: 'Remove a trigger (its runs stay)' })
  @ApiNoContentResponse()
  @ApiProblems(400, 404)
  async delete(@TriggerId() id: string): Promise<void> {
    await this.triggers.delete(id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @RequireScope('admin')
  @ApiPathParam('id', PATH_PARAMS.uuid)
  @ApiOperation({ operationId: 'pauseTrigger', summary: 'Stop starting runs (webhooks answer 409)' })
  @ApiOkResponse({ type: TriggerDto })
  @ApiProblems(400, 404)
  pause(@TriggerId() id: string): Promise<TriggerResource> {
    return this.triggers.pause(id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @RequireScope('admin')
  @ApiPathParam('id', PATH_PARAMS.uuid)
  @ApiOperation({
    operationId: 'resumeTrigger',
    summary: 'Start runs again (a Kafka trigger continues after its last committed message)',
  })
  @ApiOkResponse({ type: TriggerDto })
  @ApiProblems(400, 404)
  resume(@TriggerId() id: string): Promise<TriggerResource> {
    return this.triggers.resume(id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @RequireScope('admin')
  @ApiPathParam('id', PATH_PARAMS.uuid)
  @ApiOperation({
    operationId: 'rotateTriggerSecret',
    summary: "Replace a webhook trigger's secret (returned this once; the old one stops working at once)",
  })
  @ApiOkResponse({ type: CreatedTriggerDto })
  @ApiProblems(400, 404)
  rotateSecret(@TriggerId() id: string): Promise<WebhookTriggerWithSecret> {
    return this.triggers.rotateSecret(id);
  }
}
