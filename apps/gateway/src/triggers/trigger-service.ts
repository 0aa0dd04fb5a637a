import { Inject, Injectable } from '@nestjs/common';
import {
  type FieldError,
  type KafkaStartPosition,
  type KafkaTriggerResource,
  type TriggerKind,
  type TriggerResource,
  type TriggerWorkflowRef,
  type WebhookTriggerWithSecret,
} from '@spark/contracts';
import { isDomainError, ValidationError } from '@spark/workflow-domain';
import { GatewayStorage } from '../storage/gateway-storage';
import { TriggerExpression, TriggerExpressionError } from './trigger-expression';
import { TriggerStore } from './trigger-store';

export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A trigger to create, as the API receives it (kind-specific fields checked here). */
export interface TriggerRequest {
  kind: TriggerKind;
  workflow: TriggerWorkflowRef;
  input?: string;
  description?: string;
  toleranceSeconds?: number;
  topic?: string;
  filter?: string;
  startFrom?: KafkaStartPosition;
}

const WEBHOOK_ONLY = ['toleranceSeconds'] as const;
const KAFKA_ONLY = ['topic', 'filter', 'startFrom'] as const;

/**
 * Creates triggers only when they can work: the workflow exists, every expression compiles, and each
 * field belongs to the trigger's kind. Every problem is reported at once, by JSON path.
 */
@Injectable()
export class TriggerService {
  constructor(
    @Inject(TriggerStore) private readonly store: TriggerStore,
    private readonly storage: GatewayStorage,
  ) {}

  async create(request: TriggerRequest): Promise<WebhookTriggerWithSecret | KafkaTriggerResource> {
    const problems = [...this.fieldProblems(request), ...(await this.workflowProblems(request.workflow))];
    if (problems.length > 0) throw new ValidationError(problems, 'The trigger is invalid');
    const common = {
      workflow: request.workflow,
      ...(request.input === undefined ? {} : { input: request.input }),
      ...(request.description === undefined ? {} : { description: request.description }),
    };
    if (request.kind === 'webhook')
      return this.store.createWebhook({
        ...common,
        toleranceSeconds: request.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
      });
    return this.store.createKafka({
      ...common,
      topic: request.topic!,
      ...(request.filter === undefined ? {} : { filter: request.filter }),
      startFrom: request.startFrom ?? 'latest',
    });
  }

  get(id: string): Promise<TriggerResource> {
    return this.store.get(id);
  }

  list(): Promise<TriggerResource[]> {
    return this.store.list();
  }

  delete(id: string): Promise<void> {
    return this.store.delete(id);
  }

  pause(id: string): Promise<TriggerResource> {
    return this.store.setEnabled(id, false);
  }

  resume(id: string): Promise<TriggerResource> {
    return this.store.setEnabled(id, true);
  }

  rotateSecret(id: string): Promise<WebhookTriggerWithSecret> {
    return this.store.rotateSecret(id);
  }

  private fieldProblems(request: TriggerRequest): FieldError[] {
    const problems: FieldError[] = [];
    const foreign = request.kind === 'webhook' ? KAFKA_ONLY : WEBHOOK_ONLY;
    for (const field of foreign)
      if (request[field] !== undefined)
        problems.push({ path: `$.${field}`, message: `does not apply to ${request.kind} triggers` });
    if (request.kind === 'kafka' && request.topic === undefined)
      problems.push({ path: '$.topic', message: 'is required for kafka triggers' });
    for (const field of ['input', 'filter'] as const) {
      const source = request[field];
      if (source === undefined) continue;
      try {
        TriggerExpression.compile(`$.${field}`, source);
      } catch (error) {
        if (!(error instanceof TriggerExpressionError)) throw error;
        problems.push({ path: error.field, message: error.message });
      }
    }
    return problems;
  }

  private async workflowProblems(workflow: TriggerWorkflowRef): Promise<FieldError[]> {
    try {
      await this.storage.catalog.get(workflow.name, workflow.version);
      return [];
    } catch (error) {
      if (!isDomainError(error, 'NOT_FOUND')) throw error;
      const path = workflow.version === undefined ? '$.workflow.name' : '$.workflow.version';
      return [{ path, message: (error as Error).message }];
    }
  }
}
