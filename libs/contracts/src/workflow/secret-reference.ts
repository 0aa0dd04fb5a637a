/**
 * A header value of an `http` step that names a secret registered through the gateway
 * (`/api/v1/secrets`) instead of writing it: `{ "secret": "billing-token", "prefix": "Bearer " }`. The
 * executor resolves it when the attempt runs, so the value is never in the definition, the run's events
 * or the read model.
 */
export interface SecretReference {
  secret: string;
  /** Put before the secret's value, e.g. `Bearer `. */
  prefix?: string;
}

/** The names secrets may have (as sources'). */
export const SECRET_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function isSecretReference(value: unknown): value is SecretReference {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { secret, prefix, ...rest } = value as Record<string, unknown>;
  return (
    typeof secret === 'string' &&
    (prefix === undefined || typeof prefix === 'string') &&
    Object.keys(rest).length === 0
  );
}
