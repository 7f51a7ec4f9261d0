import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Logger } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { bodyEncodingGuard } from './common/body-encoding';
import { toApiError } from './common/error.filter';
import type { ApiLogOptions } from './logging';
import type { RateLimitOptions } from './common/rate-limit';
import { securityHeaders } from './common/security-headers';
import { StorableInputPipe } from './common/storable-input.pipe';

export const BODY_LIMIT = '1mb';

/** Builds the API application (used by main and by the end-to-end tests). */
export async function createApiApp(opts: { log?: ApiLogOptions; rateLimit?: RateLimitOptions } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(opts.log, opts.rateLimit), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.use(securityHeaders());
  app.use(bodyEncodingGuard);
  app.use(express.json({ limit: BODY_LIMIT }));
  // Body-parser errors happen before Nest's filters can see them: answer them in the same shape.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const e = toApiError(err);
    res.status(e.status).json({ error: e.code, message: e.message, details: e.details });
  });
  app.useGlobalPipes(new StorableInputPipe());
  app.enableShutdownHooks();
  serveDashboard(app);
  const doc = new DocumentBuilder()
    .setTitle('Fuusio API')
    .setDescription('Durable workflows for mergers, shareholder onboarding and project lifecycles')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'api/docs/json' });
  return app;
}

/** Where `vite build` put the dashboard: beside the sources, or reached from the compiled dist/apps/api. */
export function dashboardDir(): string | null {
  const candidates = [process.env.FUUSIO_WEB_DIR, join(__dirname, '../web/dist'), join(__dirname, '../../../apps/web/dist')];
  return candidates.find((dir): dir is string => !!dir && existsSync(join(dir, 'index.html'))) ?? null;
}

/** The built dashboard at `/` when it exists; never in the way of /api, /healthz or /readyz. */
function serveDashboard(app: NestExpressApplication): void {
  const dir = dashboardDir();
  if (!dir) return;
  const files = express.static(dir, { index: 'index.html', fallthrough: true, maxAge: '1h', setHeaders: (res, file) => {
    if (file.endsWith('index.html')) res.setHeader('Cache-Control', 'no-cache');
  } });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (/^\/(api|healthz|readyz)(\/|$|\?)/.test(req.path)) return next();
    return files(req, res, next);
  });
}
