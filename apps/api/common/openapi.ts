import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, PathItemObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { LAUNCH_KINDS } from '../../../libs/domain/launch-kinds';

/**
 * The OpenAPI document is generated from the very zod schemas the services parse with, so what the
 * document promises and what the API accepts cannot drift apart.
 */
export function toOpenApi(schema: z.ZodType, io: 'input' | 'output' = 'input'): SchemaObject {
  return z.toJSONSchema(schema, { io, target: 'openapi-3.0', unrepresentable: 'any' }) as SchemaObject;
}

/** The request body is the input of this schema (the service parses the body with the same one). */
export function ZodBody(schema: z.ZodType, description?: string): MethodDecorator {
  return ApiBody({ schema: toOpenApi(schema), description });
}

/** Every key of this object schema is a query parameter, optional where the schema allows it. */
export function ZodQuery(schema: z.ZodObject): MethodDecorator {
  return applyDecorators(
    ...Object.entries(schema.shape).map(([name, field]) =>
      ApiQuery({ name, required: !(field as z.ZodType).safeParse(undefined).success, schema: toOpenApi(field as z.ZodType) }),
    ),
  );
}

/** A path parameter with its schema and a word on what it is. */
export function ZodParam(name: string, schema: z.ZodType, description?: string): MethodDecorator {
  return ApiParam({ name, schema: toOpenApi(schema), description });
}

/** A 200 (or other success) answer with the output of this schema. */
export function ZodOk(schema: z.ZodType, status = 200): MethodDecorator {
  return status === 200
    ? ApiOkResponse({ schema: toOpenApi(schema, 'output') })
    : ApiResponse({ status, schema: toOpenApi(schema, 'output') });
}

/** `{ error, message, details[] }`: what every refusal (4xx) and failure (5xx) of the API answers with. */
export const API_ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['error', 'message', 'details'],
  properties: {
    error: { type: 'string', description: 'a stable code for scripts, e.g. invalid_input, not_found, duplicate_business_key' },
    message: { type: 'string' },
    details: {
      type: 'array',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'invalid input: the field and the reason in details (also text PostgreSQL cannot store, NUL or lone surrogates, and nesting deeper than the bound)',
  401: 'no valid token',
  403: "the token's role or organisation scope does not allow this",
  404: 'not found, or not visible to this token',
  409: 'a conflict with the current state (a duplicate business key, a closed workflow or gate)',
  413: 'the request body is larger than allowed',
  415: 'a content encoding or charset other than gzip/identity and UTF-8',
  422: 'refused by a business rule',
  429: 'too many requests from this client; Retry-After says when to come back',
  503: 'not ready (PostgreSQL or Temporal does not answer)',
};

/**
 * Adds what the decorators cannot say route by route: the error answers of every operation, and the
 * launch operation split into one per kind with that kind's body (one operation per body schema
 * generates better requests than a `oneOf` over loose objects that overlap).
 */
export function completeDocument(doc: OpenAPIObject): OpenAPIObject {
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, ApiError: API_ERROR_SCHEMA } };
  splitLaunchByKind(doc);
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) documentErrors(path, method, op);
    }
  }
  return doc;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const LAUNCH_PATH = '/api/workflows/{kind}';

function splitLaunchByKind(doc: OpenAPIObject): void {
  const item: PathItemObject | undefined = doc.paths[LAUNCH_PATH];
  const launch = item?.post;
  if (!item || !launch) return;
  delete item.post;
  if (!METHODS.some((m) => item[m])) delete doc.paths[LAUNCH_PATH];
  for (const [kind, spec] of Object.entries(LAUNCH_KINDS)) {
    const path = `/api/workflows/${kind}`;
    doc.paths[path] = {
      ...doc.paths[path],
      post: {
        ...launch,
        operationId: `${launch.operationId ?? 'launch'}_${kind.replace(/-/g, '_')}`,
        summary: `Launch a ${kind} workflow; 409 if its business key exists`,
        parameters: (launch.parameters ?? []).filter((p) => (p as ParameterObject).name !== 'kind'),
        requestBody: { required: true, content: { 'application/json': { schema: toOpenApi(spec.schema as z.ZodType) } } },
      },
    };
  }
}

function documentErrors(path: string, method: (typeof METHODS)[number], op: OperationObject): void {
  const isPublic = !op.security || op.security.length === 0;
  const statuses = [400, 429];
  if (!isPublic) statuses.push(401, 403);
  if (path.includes('{') || !isPublic) statuses.push(404);
  if (method !== 'get') statuses.push(409, 413, 415, 422);
  if (path === '/readyz') statuses.push(503);
  for (const status of statuses) {
    op.responses[status] ??= {
      description: ERROR_DESCRIPTIONS[status] ?? 'refused',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
    };
  }
}
