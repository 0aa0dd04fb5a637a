import { Injectable, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { type SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export const API_BEARER = 'apiKey';

/** DTO properties that hold any JSON value. */
const FREE_FORM_PROPERTIES = ['input', 'output', 'payload', 'details'];

/**
 * The OpenAPI 3 document, generated from the controllers' decorators. It is built from a preview
 * of the gateway module (Nest resolves the module graph without creating any provider, so nothing
 * connects anywhere), because the shared bootstrap does not hand the application to the module.
 */
/**
 * The validation pipe refuses unknown body fields (whitelist + forbidNonWhitelisted): the document says so,
 * with `additionalProperties: false` on every DTO schema (a component) a request body uses, and on the
 * ones those reference. Inline schemas (checked by the deciders, not the pipe) and schemas that declare
 * their own `additionalProperties` (free-form ones) stay as they are.
 */
function closeRequestBodies(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaObject>;
  const seen = new Set<string>();
  const visit = (schema: unknown): void => {
    if (!schema || typeof schema !== 'object') return;
    const ref = (schema as { $ref?: string }).$ref;
    if (typeof ref === 'string') {
      const name = ref.replace('#/components/schemas/', '');
      if (seen.has(name) || !schemas[name]) return;
      seen.add(name);
      const target = schemas[name];
      if (target.properties && target.additionalProperties === undefined) target.additionalProperties = false;
      return visit(target);
    }
    const object = schema as SchemaObject;
    for (const property of Object.values(object.properties ?? {})) visit(property);
    for (const key of ['items', 'allOf', 'oneOf', 'anyOf'] as const) {
      const value = (object as Record<string, unknown>)[key];
      if (Array.isArray(value)) value.forEach(visit);
      else visit(value);
    }
  };
  for (const item of Object.values(document.paths))
    for (const operation of Object.values(item as Record<string, { requestBody?: unknown }>)) {
      const content = (
        operation?.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined
      )?.content;
      for (const media of Object.values(content ?? {})) visit(media.schema);
    }
}

@Injectable()
export class OpenApiDocument {
  private document?: OpenAPIObject;

  async build(rootModule: Type<unknown>, version: string): Promise<OpenAPIObject> {
    const preview = await NestFactory.create(rootModule, {
      preview: true,
      logger: false,
      abortOnError: false,
    });
    const config = new DocumentBuilder()
      .setTitle('Spark API')
      .setDescription(
        'Spark, the event-sourced workflow orchestrator: register workflows, start and watch runs, manage ' +
          'sources and API keys. Every route but /health/*, /openapi.json and /docs needs ' +
          '"Authorization: Bearer <api key>". Errors are RFC 9457 application/problem+json.',
      )
      .setVersion(version)
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A Spark API key' }, API_BEARER)
      .addSecurityRequirements(API_BEARER)
      .build();
    const document = SwaggerModule.createDocument(preview, config, {
      operationIdFactory: (_controller, method) => method,
    });
    // Health comes from the shared service kit: public, and named for clients.
    for (const [route, item] of Object.entries(document.paths)) {
      if (!route.startsWith('/health/') || !item.get) continue;
      item.get = {
        ...item.get,
        operationId: route === '/health/live' ? 'healthLive' : 'healthReady',
        tags: ['health'],
        security: [],
      };
    }
    // Free-form JSON properties (`unknown` in the DTOs) are reflected as `type: object`: any JSON value.
    for (const schema of Object.values(document.components?.schemas ?? {})) {
      for (const [name, property] of Object.entries((schema as SchemaObject).properties ?? {})) {
        if (!FREE_FORM_PROPERTIES.includes(name) || !('type' in property) || property.type !== 'object')
          continue;
        if (property.properties || property.additionalProperties) continue;
        delete property.type;
        property.nullable = true;
      }
    }
    closeRequestBodies(document);
    this.document = document;
    return document;
  }

  get(): OpenAPIObject {
    if (!this.document) throw new Error('the OpenAPI document has not been built yet');
    return this.document;
  }
}
