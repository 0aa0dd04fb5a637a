import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../settings/gateway-settings';
import { defaultConsoleDir, mountConsole } from './console-static';

/** Where webhooks arrive (their bodies are read raw: the signature covers the exact bytes). */
export const HOOKS_PATH = '/api/v1/hooks';

/** Media types of YAML workflow definitions; their body arrives as text. */
export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/**
 * Express middleware the gateway needs before Nest registers its defaults: body parsers with the
 * gateway's size limit (JSON, and YAML as text; webhook bodies raw, since their signature covers the
 * exact bytes), the Swagger UI assets for /docs, and the web console under /console.
 *
 * The shared service bootstrap (`main` of @spark/service-kit) lets Nest add its default parsers
 * (100 kB limit) in `app.init()`, unless parsers named `jsonParser`/`urlencodedParser` are already
 * mounted. Mounting ours here, while the module's providers are created (before `init`), makes Nest
 * skip its own, so main.ts stays the one-line `main(GatewayModule)` every service has.
 */
@Injectable()
export class HttpSetup {
  constructor(adapterHost: HttpAdapterHost, @Inject(GATEWAY_SETTINGS) settings: GatewaySettings) {
    const app = adapterHost.httpAdapter.getInstance<express.Express>();
    const limit = settings.bodyLimitBytes;
    const json = express.json({ limit, type: ['application/json', 'application/*+json'] });
    const text = express.text({ limit, type: YAML_MEDIA_TYPES });
    const urlencoded = express.urlencoded({ limit, extended: false });
    // Any content type; once read, the request is finished and the parsers below leave it alone.
    app.use(HOOKS_PATH, express.raw({ limit, type: () => true }));
    // The names tell Nest these parsers are already applied (ExpressAdapter.isMiddlewareApplied).
    app.use(function jsonParser(request: Request, response: Response, next: NextFunction) {
      json(request, response, (error?: unknown) => (error ? next(error) : text(request, response, next)));
    });
    app.use(function urlencodedParser(request: Request, response: Response, next: NextFunction) {
      urlencoded(request, response, next);
    });
    const swaggerUi = path.dirname(
      require.resolve('swagger-ui-dist/package.json', { paths: [require.resolve('@nestjs/swagger')] }),
    );
    app.use('/docs/assets', express.static(swaggerUi, { index: false }));
    mountConsole(app, defaultConsoleDir());
  }
}
