import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ServiceInstanceDto {
  @ApiProperty({ enum: ['scheduler', 'executor', 'projector'] }) service!: string;
  @ApiProperty({ example: 'http://127.0.0.1:8082' }) url!: string;
  @ApiProperty({ description: 'GET /health/ready answered 200' }) ready!: boolean;
  @ApiPropertyOptional({ description: 'HTTP status of /health/ready' }) status?: number;
  @ApiPropertyOptional({ description: 'Why it is not ready (or did not answer)' }) error?: string;
}

export class ProjectionLagDto {
  @ApiProperty({ example: 'read-model' }) checkpoint!: string;
  @ApiProperty({ description: 'Projected events not yet applied (counted up to 10,000)' })
  eventsBehind!: number;
  @ApiProperty({ description: 'Age of the oldest event not yet applied (0 when caught up)' })
  secondsBehind!: number;
  @ApiProperty({ description: 'The projector instance that reported it' }) url!: string;
}

export class ConsumerLagDto {
  @ApiProperty() group!: string;
  @ApiProperty() topic!: string;
  @ApiProperty() partitions!: number;
  @ApiProperty({ description: "Messages after the group's committed offsets" }) lag!: number;
}

export class HandlerLoadDto {
  @ApiProperty() handler!: string;
  @ApiProperty() inFlight!: number;
}

export class ExecutorLoadDto {
  @ApiProperty() url!: string;
  @ApiProperty() ready!: boolean;
  @ApiProperty({ description: 'Tasks running in this executor' }) tasksInFlight!: number;
  @ApiProperty({ description: 'Tasks received and waiting for a free slot' }) tasksQueued!: number;
  @ApiProperty({ type: [HandlerLoadDto] }) byHandler!: HandlerLoadDto[];
}

export class SystemStatusDto {
  @ApiProperty({ format: 'date-time' }) measuredAt!: string;
  @ApiProperty({ type: [ServiceInstanceDto] }) services!: ServiceInstanceDto[];
  @ApiProperty({ type: [ProjectionLagDto] }) projection!: ProjectionLagDto[];
  @ApiProperty({ type: [ConsumerLagDto] }) consumers!: ConsumerLagDto[];
  @ApiPropertyOptional({ description: 'Why consumer lag could not be read (Kafka unreachable)' })
  consumersError?: string;
  @ApiProperty({ type: [ExecutorLoadDto] }) executors!: ExecutorLoadDto[];
}
