import path from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../settings/gateway-settings';
import { admissionControl } from './admission';
import { defaultConsoleDir, mountConsole } from './console-static';

/** Where webhooks arrive (their bodies are read raw: the signature covers the exact bytes). */
export const HOOKS_PATH = '/api/v1/hooks';

/** How long an idle keep-alive connection stays open (see onApplicationBootstrap). */
export const KEEP_ALIVE_TIMEOUT_MS = 95_000;

/** Media types of YAML workflow definitions; their body arrives as text. */
export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/**
 * Express middleware the gateway needs before Nest registers its defaults: load shedding (admission.ts), body parsers with the
 * gateway's size limit (JSON, and YAML as text; webhook bodies raw, since their signature covers the
 * exact bytes), the Swagger UI assets for /docs, and the web console under /console.
 *
 * The shared service bootstrap (`main` of @spark/service-kit) lets Nest add its default parsers
 * (100 kB limit) in `app.init()`, unless parsers named `jsonParser`/`urlencodedParser` are already
 * mounted. Mounting ours here, while the module's providers are created (before `init`), makes Nest
 * skip its own, so main.ts stays the one-line `main(GatewayModule)` every service has.
 */
@Injectable()
export class HttpSetup implements OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(GATEWAY_SETTINGS) settings: GatewaySettings,
  ) {
    const app = adapterHost.httpAdapter.getInstance<express.Express>();
    const limit = settings.bodyLimitBytes;
    const json = express.json({ limit, type: ['application/json', 'application/*+json'] });
    const text = express.text({ limit, type: YAML_MEDIA_TYPES });
    const urlencoded = express.urlencoded({ limit, extended: false });
    // First: a request shed for load is answered before its body is read.
    app.use(admissionControl(settings.maxInFlightRequests));
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

  /**
   * Idle keep-alive connections are kept longer than clients and load balancers keep theirs (Go's and
   * most proxies' 60–90 s), not Node's 5 s: a server closing an idle connection just as the client sends
   * on it makes that request fail with a reset, which `bench/api` saw as answerless requests under load.
   */
  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    // Must be longer than the keep-alive timeout, or a slow request's headers can meet the same race.
    server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  }
}
