import { Injectable, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export const API_BEARER = 'apiKey';

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
    this.document = SwaggerModule.createDocument(preview, config, {
      operationIdFactory: (_controller, method) => method,
    });
    return this.document;
  }

  get(): OpenAPIObject {
    if (!this.document) throw new Error('the OpenAPI document has not been built yet');
    return this.document;
  }
}
