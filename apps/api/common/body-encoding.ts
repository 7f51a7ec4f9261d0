import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error';

const ENCODINGS = new Set(['identity', 'gzip']);

/**
 * Bodies come as UTF-8, plain or gzipped. body-parser would also decode UTF-16, deflate and brotli;
 * we accept only what the API documents, and answer 415 for the rest before the body is read.
 */
export function bodyEncodingGuard(req: Request, _res: Response, next: NextFunction): void {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (!ENCODINGS.has(encoding)) {
    return next(new ApiError(415, 'unsupported_media_type', `content encoding "${encoding}" is not supported (identity or gzip)`, [
      { path: '(header) content-encoding', message: 'must be identity or gzip' },
    ]));
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return next(new ApiError(415, 'unsupported_media_type', `charset "${charset}" is not supported (utf-8)`, [
      { path: '(header) content-type', message: 'charset must be utf-8' },
    ]));
  }
  next();
}
