import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { unstorableTextIssue } from '../../../libs/domain/storable-text';
import { ApiError } from './api-error';

/**
 * The one guard for text PostgreSQL cannot store (NUL, lone surrogates) and for nesting beyond the
 * depth bound, over every body, query and path parameter of every route, keys included. It runs before
 * any handler, so a refused request starts nothing and writes nothing.
 */
@Injectable()
export class StorableInputPipe implements PipeTransform {
  transform(value: unknown, meta: ArgumentMetadata): unknown {
    if (meta.type === 'custom') return value;
    const root = meta.type === 'body' ? '' : meta.data ?? '';
    const issue = unstorableTextIssue(value, root);
    if (issue) {
      const where = meta.type === 'body' ? 'request body' : meta.type === 'query' ? 'query' : 'path';
      throw ApiError.badRequest(`the ${where} is not valid: ${issue.path}: ${issue.message}`, [issue]);
    }
    return value;
  }
}
