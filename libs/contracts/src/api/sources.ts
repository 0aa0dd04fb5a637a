/** External servers that steps call by name: LangFlow and AutoMagik agent servers. */
export const SOURCE_KINDS = ['langflow', 'agent'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** A source as the API returns it: the API key is write-only (only whether one is set). */
export interface SourceResource {
  name: string;
  kind: SourceKind;
  baseUrl: string;
  hasApiKey: boolean;
  description?: string;
  createdAt: string;
  updatedAt: string;
}
