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
    this.document = document;
    return document;
  }

  get(): OpenAPIObject {
    if (!this.document) throw new Error('the OpenAPI document has not been built yet');
    return this.document;
  }
}
