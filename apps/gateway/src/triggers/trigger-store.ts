import { randomBytes, randomUUID } from 'node:crypto';
import {
  type KafkaStartPosition,
  type KafkaTriggerResource,
  type TriggerKind,
  type TriggerResource,
  type TriggerWorkflowRef,
  type WebhookTriggerResource,
  type WebhookTriggerWithSecret,
} from '@spark/contracts';
import { NotFoundError } from '@spark/workflow-domain';
import { requireSecretBox, type SecretBox } from '../sources/secret-box';
import { type GatewayStorage } from '../storage/gateway-storage';

interface CommonTriggerFields {
  workflow: TriggerWorkflowRef;
  input?: string;
  description?: string;
}

export interface NewWebhookTrigger extends CommonTriggerFields {
  toleranceSeconds: number;
}

export interface NewKafkaTrigger extends CommonTriggerFields {
  topic: string;
  filter?: string;
  startFrom: KafkaStartPosition;
}

interface TriggerRow {
  id: string;
  kind: TriggerKind;
  workflow_name: string;
  workflow_version: number | null;
  input_expression: string | null;
  description: string | null;
  enabled: boolean;
  tolerance_seconds: number | null;
  secret_iv: Buffer | null;
  secret_cipher: Buffer | null;
  secret_tag: Buffer | null;
  topic: string | null;
  filter_expression: string | null;
  start_from: KafkaStartPosition | null;
  created_at: Date;
  updated_at: Date;
}

export const hookPathOf = (triggerId: string): string => `/api/v1/hooks/${triggerId}`;

const toResource = (row: TriggerRow): TriggerResource => {
  const common = {
    id: row.id,
    workflow: {
      name: row.workflow_name,
      ...(row.workflow_version === null ? {} : { version: row.workflow_version }),
    },
    ...(row.input_expression === null ? {} : { input: row.input_expression }),
    ...(row.description === null ? {} : { description: row.description }),
    enabled: row.enabled,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
  if (row.kind === 'webhook')
    return {
      ...common,
      kind: 'webhook',
      toleranceSeconds: row.tolerance_seconds!,
      hookPath: hookPathOf(row.id),
    };
  return {
    ...common,
    kind: 'kafka',
    topic: row.topic!,
    ...(row.filter_expression === null ? {} : { filter: row.filter_expression }),
    startFrom: row.start_from!,
  };
};

/** 32 random bytes; the whole string (prefix included) is the HMAC key. */
const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/** The additional data binding a sealed secret to its trigger: a ciphertext copied to another row does not open. */
const secretOwner = (triggerId: string): string => `trigger:${triggerId}`;

/** Trigger definitions in the gateway's schema; webhook secrets sealed with AES-256-GCM (SPARK_SECRETS_KEY). */
export class TriggerStore {
  private readonly changeListeners = new Set<() => void>();

  constructor(
    private readonly storage: GatewayStorage,
    private readonly box: SecretBox | undefined,
  ) {}

  private get table() {
    return this.storage.table('triggers');
  }

  /** Calls `listener` after this process changes which triggers exist or run; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  async createWebhook(trigger: NewWebhookTrigger): Promise<WebhookTriggerWithSecret> {
    const id = randomUUID();
    const secret = newWebhookSecret();
    const sealed = this.requireBox().seal(secret, secretOwner(id));
    const row = await this.insert(id, 'webhook', trigger, {
      tolerance_seconds: trigger.toleranceSeconds,
      secret_iv: sealed.iv,
      secret_cipher: sealed.ciphertext,
      secret_tag: sealed.tag,
    });
    return { ...(toResource(row) as WebhookTriggerResource), secret };
  }

  async createKafka(trigger: NewKafkaTrigger): Promise<KafkaTriggerResource> {
    const row = await this.insert(randomUUID(), 'kafka', trigger, {
      topic: trigger.topic,
      filter_expression: trigger.filter ?? null,
      start_from: trigger.startFrom,
    });
    this.changed();
    return toResource(row) as KafkaTriggerResource;
  }

  async get(id: string): Promise<TriggerResource> {
    return toResource(await this.row(id));
  }

  async list(): Promise<TriggerResource[]> {
    const { rows } = await this.storage.pool.query<TriggerRow>(
      `SELECT * FROM ${this.table} ORDER BY created_at, id`,
    );
    return rows.map(toResource);
  }

  /** Every Kafka trigger, paused ones included (the runner decides what to consume). */
  async listKafka(): Promise<KafkaTriggerResource[]> {
    const { rows } = await this.storage.pool.query<TriggerRow>(
      `SELECT * FROM ${this.table} WHERE kind = 'kafka' ORDER BY created_at, id`,
    );
    return rows.map((row) => toResource(row) as KafkaTriggerResource);
  }

  async delete(id: string): Promise<void> {
    const { rowCount } = await this.storage.pool.query(`DELETE FROM ${this.table} WHERE id = $1`, [id]);
    if (!rowCount) throw notFound(id);
    this.changed();
  }

  async setEnabled(id: string, enabled: boolean): Promise<TriggerResource> {
    const { rows } = await this.storage.pool.query<TriggerRow>(
      `UPDATE ${this.table} SET enabled = $2, updated_at = now() WHERE id = $1 RETURNING *`,
      [id, enabled],
    );
    if (!rows[0]) throw notFound(id);
    this.changed();
    return toResource(rows[0]);
  }

  /** A new secret for a webhook trigger; the old one stops working at once. */
  async rotateSecret(id: string): Promise<WebhookTriggerWithSecret> {
    const secret = newWebhookSecret();
    const sealed = this.requireBox().seal(secret, secretOwner(id));
    const { rows } = await this.storage.pool.query<TriggerRow>(
      `UPDATE ${this.table} SET secret_iv = $2, secret_cipher = $3, secret_tag = $4, updated_at = now()
       WHERE id = $1 AND kind = 'webhook' RETURNING *`,
      [id, sealed.iv, sealed.ciphertext, sealed.tag],
    );
    if (!rows[0]) throw new NotFoundError(`webhook trigger "${id}" does not exist`);
    return { ...(toResource(rows[0]) as WebhookTriggerResource), secret };
  }

  /** A webhook trigger with its opened secret, for verifying a delivery; undefined when there is none. */
  async webhookWithSecret(id: string): Promise<WebhookTriggerWithSecret | undefined> {
    const { rows } = await this.storage.pool.query<TriggerRow>(
      `SELECT * FROM ${this.table} WHERE id = $1 AND kind = 'webhook'`,
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    const secret = this.requireBox().open(
      { iv: row.secret_iv!, ciphertext: row.secret_cipher!, tag: row.secret_tag! },
      secretOwner(id),
    );
    return { ...(toResource(row) as WebhookTriggerResource), secret };
  }

  private async insert(
    id: string,
    kind: TriggerKind,
    common: CommonTriggerFields,
    specific: Partial<TriggerRow>,
  ): Promise<TriggerRow> {
    const columns: Partial<TriggerRow> = {
      id,
      kind,
      workflow_name: common.workflow.name,
      workflow_version: common.workflow.version ?? null,
      input_expression: common.input ?? null,
      description: common.description ?? null,
      ...specific,
    };
    const names = Object.keys(columns);
    const { rows } = await this.storage.pool.query<TriggerRow>(
      `INSERT INTO ${this.table} (${names.join(', ')})
       VALUES (${names.map((_, index) => `$${index + 1}`).join(', ')}) RETURNING *`,
      Object.values(columns),
    );
    return rows[0]!;
  }

  private async row(id: string): Promise<TriggerRow> {
    const { rows } = await this.storage.pool.query<TriggerRow>(`SELECT * FROM ${this.table} WHERE id = $1`, [
      id,
    ]);
    if (!rows[0]) throw notFound(id);
    return rows[0];
  }

  private requireBox(): SecretBox {
    return requireSecretBox(this.box, 'Webhook secrets cannot be stored or read');
  }
}

const notFound = (id: string) => new NotFoundError(`trigger "${id}" does not exist`);
