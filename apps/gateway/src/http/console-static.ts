import fs from 'node:fs';
import path from 'node:path';
import { PROBLEM_TYPES } from '@spark/contracts';
import express, { type NextFunction, type Request, type Response } from 'express';

/** Where the web console is served; its files carry no secret, so no API key is asked for them. */
export const CONSOLE_PATH = '/console';

/** The console's built files: dist/apps/console beside the gateway's own dist/apps/gateway (tools/build). */
export const defaultConsoleDir = (): string =>
  process.env.SPARK_CONSOLE_DIR ?? path.resolve(__dirname, '../../../console');

/**
 * Serves the console's static files under /console, and its index.html for any other path under it
 * (the console routes in the browser: /console/runs/<id> is a page, not a file). Hashed assets are
 * cached for good; index.html never, so a new build shows at the next load.
 */
export function mountConsole(app: express.Express, dir: string): void {
  const index = path.join(dir, 'index.html');
  app.use(
    CONSOLE_PATH,
    express.static(dir, {
      index: false,
      redirect: false,
      setHeaders: (response, file) => {
        if (file.includes(`${path.sep}assets${path.sep}`))
          response.setHeader('cache-control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  app.use(CONSOLE_PATH, (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    // A missing asset is a 404, not the page (a browser would try to run HTML as a script).
    if (request.path.startsWith('/assets/')) return next();
    if (!fs.existsSync(index)) {
      response
        .status(404)
        .type('application/problem+json')
        .send(
          JSON.stringify({
            type: PROBLEM_TYPES.notFound,
            title: 'Not Found',
            status: 404,
            detail: 'The web console is not built: run tools/build',
            instance: request.originalUrl,
          }),
        );
      return;
    }
    response.setHeader('cache-control', 'no-cache');
    response.sendFile(index);
  });
}
