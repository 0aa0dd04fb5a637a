/** What an API key may do. `admin` implies `write`, and `write` implies `read`. */
export const API_SCOPES = ['read', 'write', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** An API key as listed: never the secret itself, which is shown once at creation. */
export interface ApiKeyResource {
  id: string;
  name: string;
  scopes: ApiScope[];
  /** The key's first characters, to recognise it (`spk_3f9a…`). */
  prefix: string;
  createdAt: string;
}

export interface CreatedApiKey extends ApiKeyResource {
  /** The bearer token. Returned once; only its SHA-256 hash is stored. */
  key: string;
}
