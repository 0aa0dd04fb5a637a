import { createSparkClient, type SparkApi, SparkApiError } from '@spark/client';

/** The key lives in sessionStorage: it goes when the tab is closed, and never reaches localStorage. */
const STORAGE_KEY = 'spark.console.apiKey';

export type Scope = 'read' | 'write' | 'admin';
const RANK: Record<Scope, number> = { read: 1, write: 2, admin: 3 };

/** admin includes write, write includes read (as the gateway grants them). */
export const allows = (held: Scope, needed: Scope): boolean => RANK[held] >= RANK[needed];

export const storedKey = (): string | null => sessionStorage.getItem(STORAGE_KEY);
export const storeKey = (key: string): void => sessionStorage.setItem(STORAGE_KEY, key);
export const forgetKey = (): void => sessionStorage.removeItem(STORAGE_KEY);

/** The gateway that served the console is the one it talks to. */
export const apiFor = (key: string): SparkApi =>
  createSparkClient({ baseUrl: window.location.origin, apiKey: key });

/**
 * What the key may do, asked of the API itself with calls that change nothing: listing API keys
 * needs admin; registering an empty definition needs write (and is refused as invalid, 422, so
 * nothing is registered), while a read key gets 403. A rejected key throws (401).
 */
export async function probeScope(api: SparkApi): Promise<Scope> {
  const keys = await api.GET('/api/v1/api-keys');
  if (keys.response.ok) return 'admin';
  if (keys.response.status !== 403) throw SparkApiError.fromResponse(keys.response, keys.error);
  const probe = await api.POST('/api/v1/workflows', { body: {} });
  return scopeFromWriteProbe(probe.response.status);
}

/** 403 means the key lacks write; any other answer (422 for the empty definition) means it may write. */
export const scopeFromWriteProbe = (status: number): Scope => (status === 403 ? 'read' : 'write');
