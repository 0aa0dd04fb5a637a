import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  KAFKA_START_POSITIONS,
  type KafkaStartPosition,
  TRIGGER_KINDS,
  type TriggerKind,
  type TriggerWorkflowRef,
} from '@spark/contracts';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '../http/validators';
import { PATH_PARAMS } from '../http/path-params';
import { DEFAULT_TOLERANCE_SECONDS, type TriggerRequest } from './trigger-service';

/** Kafka's own rule for topic names. */
const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;
const EXPRESSION_LIMIT = 10_000;

export class TriggerWorkflowDto implements TriggerWorkflowRef {
  @ApiProperty({
    description: 'Name of a registered workflow',
    example: 'order-fulfilment',
    pattern: PATH_PARAMS.workflowName.pattern.source,
  })
  @IsString()
  @Matches(PATH_PARAMS.workflowName.pattern, {
    message:
      'must be a workflow name: 1-128 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
  })
  name!: string;

  @ApiPropertyOptional({
    description: 'Version to start; the latest at each start when omitted',
    type: 'integer',
    minimum: 1,
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  version?: number;
}

export class CreateTriggerRequestDto implements TriggerRequest {
  @ApiProperty({ enum: TRIGGER_KINDS })
  @IsIn(TRIGGER_KINDS)
  kind!: TriggerKind;

  @ApiProperty({ type: TriggerWorkflowDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => TriggerWorkflowDto)
  workflow!: TriggerWorkflowDto;

  @ApiPropertyOptional({
    description:
      'JSONata computing the run input. Webhooks: over {headers (lower-case names), body, query}, default `body`. ' +
      'Kafka: over {key, value, headers, topic, partition, offset, timestamp}, default `value`.',
    example: '{ "orderId": body.id, "source": headers."user-agent" }',
    maxLength: EXPRESSION_LIMIT,
  })
  @IsOmittable()
  @IsString()
  @MaxLength(EXPRESSION_LIMIT)
  input?: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOmittable()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @ApiPropertyOptional({
    description: `Webhook only: accepted difference between X-Spark-Timestamp and the gateway's clock (default ${DEFAULT_TOLERANCE_SECONDS})`,
    type: 'integer',
    minimum: 1,
    maximum: 86400,
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(86400)
  toleranceSeconds?: number;

  @ApiPropertyOptional({
    description: "Kafka only (required): the topic's own name, outside Spark's namespace",
    pattern: TOPIC.source,
    example: 'orders.created',
  })
  @IsOmittable()
  @Matches(TOPIC, { message: 'topic must be 1-249 letters, digits, ".", "_" or "-"' })
  topic?: string;

  @ApiPropertyOptional({
    description: 'Kafka only: JSONata over the message; only messages for which it is truthy start a run',
    example: 'value.total > 100',
    maxLength: EXPRESSION_LIMIT,
  })
  @IsOmittable()
  @IsString()
  @MaxLength(EXPRESSION_LIMIT)
  filter?: string;

  @ApiPropertyOptional({
    enum: KAFKA_START_POSITIONS,
    description: 'Kafka only: where the trigger starts reading the topic when created (default latest)',
  })
  @IsOmittable()
  @IsIn(KAFKA_START_POSITIONS)
  startFrom?: KafkaStartPosition;
}

export class TriggerDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: TRIGGER_KINDS }) kind!: TriggerKind;
  @ApiProperty({ type: TriggerWorkflowDto }) workflow!: TriggerWorkflowDto;
  @ApiPropertyOptional() input?: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ description: 'Paused triggers start nothing' }) enabled!: boolean;
  @ApiPropertyOptional({ description: 'Webhook only' }) toleranceSeconds?: number;
  @ApiPropertyOptional({ description: 'Webhook only: where to send deliveries', example: '/api/v1/hooks/…' })
  hookPath?: string;
  @ApiPropertyOptional({ description: 'Kafka only' }) topic?: string;
  @ApiPropertyOptional({ description: 'Kafka only' }) filter?: string;
  @ApiPropertyOptional({ enum: KAFKA_START_POSITIONS, description: 'Kafka only' })
  startFrom?: KafkaStartPosition;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CreatedTriggerDto extends TriggerDto {
  @ApiPropertyOptional({
    description:
      'Webhook only: the HMAC-SHA256 signing secret. Shown this once (and on rotation); stored encrypted.',
  })
  secret?: string;
}
