import { Injectable } from '@nestjs/common';
import { PROBLEM_TYPES } from '@spark/contracts';
import { ProblemException } from '../problems/problem';
import { SourceStore } from './source-store';

/** A flow as a LangFlow 1.x server lists it (`GET /api/v1/flows/`), without its graph (`data`). */
export interface LangflowFlow {
  id: string;
  name: string;
  endpointName?: string;
  description?: string;
}

const TIMEOUT_MS = 10_000;

/** Reads the flows of a registered LangFlow source with its stored key (reference system: flows sync). */
@Injectable()
export class LangflowFlows {
  constructor(private readonly sources: SourceStore) {}

  async list(sourceName: string): Promise<LangflowFlow[]> {
    const source = await this.sources.get(sourceName);
    if (source.kind !== 'langflow')
      // The request is well-formed; the source it names is of another kind (its state, not the request).
      throw ProblemException.illegalState(
        `source "${sourceName}" is an ${source.kind} server, not LangFlow`,
        'SOURCE_NOT_LANGFLOW',
      );
    const apiKey = await this.sources.revealApiKey(sourceName);
    const url = `${source.baseUrl.replace(/\/+$/, '')}/api/v1/flows/`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw upstream(`cannot reach LangFlow source "${sourceName}" at ${url} (${cause})`);
    }
    if (response.status === 401 || response.status === 403)
      throw upstream(
        `LangFlow source "${sourceName}" refused its stored API key (HTTP ${response.status}): update it with PATCH /api/v1/sources/${sourceName}`,
      );
    if (!response.ok)
      throw upstream(`LangFlow source "${sourceName}" answered HTTP ${response.status} to ${url}`);
    const body = (await response.json().catch(() => undefined)) as unknown;
    const flows = Array.isArray(body) ? body : (body as { flows?: unknown } | undefined)?.flows;
    if (!Array.isArray(flows))
      throw upstream(`LangFlow source "${sourceName}" did not answer a list of flows`);
    return flows
      .filter((flow): flow is Record<string, unknown> => typeof flow === 'object' && flow !== null)
      .filter((flow) => typeof flow.id === 'string')
      .map((flow) => ({
        id: flow.id as string,
        name: typeof flow.name === 'string' ? flow.name : (flow.id as string),
        ...(typeof flow.endpoint_name === 'string' && flow.endpoint_name
          ? { endpointName: flow.endpoint_name }
          : {}),
        ...(typeof flow.description === 'string' && flow.description
          ? { description: flow.description }
          : {}),
      }));
  }

  async get(sourceName: string, flowId: string): Promise<LangflowFlow> {
    const flow = (await this.list(sourceName)).find((candidate) => candidate.id === flowId);
    if (!flow)
      throw ProblemException.notFound(`LangFlow source "${sourceName}" has no flow "${flowId}"`, [
        { path: '$.flowId', message: 'no such flow on the source' },
      ]);
    return flow;
  }
}

const upstream = (detail: string) =>
  new ProblemException({ type: PROBLEM_TYPES.unavailable, title: 'Source unavailable', status: 502, detail });
