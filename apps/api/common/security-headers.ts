import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * Helmet's headers on every answer. The dashboard runs under a strict content security policy (its own
 * scripts, styles and API only); the OpenAPI page's Swagger UI needs inline scripts, so it alone goes
 * without one.
 */
export function securityHeaders() {
  const strict = helmet({
    contentSecurityPolicy: { directives: { 'default-src': ["'self'"], 'connect-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'object-src': ["'none'"] } },
    // Served over plain HTTP on a developer's machine; production sets HSTS at its TLS proxy.
    strictTransportSecurity: false,
  });
  const docs = helmet({ contentSecurityPolicy: false, strictTransportSecurity: false });
  return (req: Request, res: Response, next: NextFunction) => (req.path.startsWith('/api/docs') ? docs : strict)(req, res, next);
}
