import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FREE_TEXT_FIELDS, NO_PEOPLE_HERE } from '../libs/domain/data-classification';
import { LAUNCH_KINDS } from '../libs/domain/launch-kinds';
import { cancelSchema, decisionSchema, routedEventSchema, workflowEventSchema } from '../libs/domain/schemas';
import { delegationInputSchema, personInputSchema, roleInputSchema } from '../libs/domain/people';
import { notifyPreferenceSchema, webhookInputSchema } from '../libs/domain/notifications';
import { calendarFeedInputSchema } from '../libs/domain/calendar';
import { historicalRecordSchema } from '../libs/domain/historical-record';
import { itemListRowSchema } from '../libs/domain/consolidation';
import { PERSONAL_KEYS } from '../libs/domain/personal-data';
import { creationSchema, revocationSchema } from '../apps/api/auth/tokens.service';
import { erasureSchema } from '../apps/api/audit/erasure.service';
import { replaySchema } from '../apps/api/audit/replay.service';
import { toOpenApi } from '../apps/api/common/openapi';
import { startApi } from './support/api-harness';
import { connectTemporal, createTestDatabase } from './support/harness';

/**
 * The classification of personal data (libs/domain/data-classification.ts) covers every free-text field
 * the API takes in: each request body's schema is walked as its JSON Schema, and a string that no enum,
 * pattern or format constrains must be classified. Launch kinds and their event types come from
 * LAUNCH_KINDS, so a new kind or event type is walked without being added here; and every JSON body in the
 * API's OpenAPI document must be one of the walked schemas, so a new route cannot take text unwalked.
 */
function apiInputs(): [name: string, schema: z.ZodType][] {
  const inputs: [string, z.ZodType][] = [
    ['decision', decisionSchema], ['cancel', cancelSchema], ['person', personInputSchema], ['role', roleInputSchema],
    ['delegation', delegationInputSchema], ['notify', notifyPreferenceSchema], ['webhook', webhookInputSchema], ['calendar', calendarFeedInputSchema],
    ['historical', historicalRecordSchema], ['itemList', itemListRowSchema], ['token', creationSchema], ['revocation', revocationSchema],
    ['erasure', erasureSchema], ['replay', replaySchema],
    // An event sent to a workflow, and one routed by its business key: one envelope, classified once.
    ['event', workflowEventSchema], ['event', routedEventSchema],
  ];
  for (const [kind, spec] of Object.entries(LAUNCH_KINDS)) {
    inputs.push([`launch.${kind}`, spec.schema as z.ZodType]);
    for (const [type, schema] of Object.entries((spec as { events?: Record<string, z.ZodType> }).events ?? {})) inputs.push([`event.${type}`, schema]);
  }
  return inputs;
}

type JsonSchema = {
  $ref?: string; type?: string; description?: string; enum?: unknown[]; const?: unknown; pattern?: string; format?: string;
  anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>; items?: JsonSchema; additionalProperties?: JsonSchema | boolean;
  $defs?: Record<string, JsonSchema>;
};

/** The free text in a schema by path (unconstrained strings, and records of values of any shape), with its description. */
function freeText(schema: JsonSchema, path: string, defs: Record<string, JsonSchema>, found: Map<string, string>): void {
  if (schema.$ref) return freeText(defs[schema.$ref.split('/').pop()!]!, path, defs, found);
  const constrained = schema.enum !== undefined || schema.const !== undefined || schema.pattern !== undefined || schema.format !== undefined;
  if (schema.type === 'string' && !constrained) found.set(path, schema.description ?? found.get(path) ?? '');
  for (const alternative of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) freeText(alternative, path, defs, found);
  for (const [key, property] of Object.entries(schema.properties ?? {})) freeText(property, `${path}.${key}`, defs, found);
  if (schema.items) freeText(schema.items, `${path}[]`, defs, found);
  const values = schema.additionalProperties;
  if (values === true || (typeof values === 'object' && Object.keys(values).length === 0)) found.set(path, schema.description ?? '');
  else if (typeof values === 'object') freeText(values, `${path}.*`, defs, found);
}

function walkedFreeText(): Map<string, string> {
  const found = new Map<string, string>();
  for (const [name, schema] of apiInputs()) {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    freeText(json, name, json.$defs ?? {}, found);
  }
  return found;
}

describe('the classification of free-text fields', () => {
  const walked = walkedFreeText();

  test('every unconstrained string field of the API inputs is classified', () => {
    expect([...walked.keys()].filter((path) => !(path in FREE_TEXT_FIELDS))).toEqual([]);
  });

  test('nothing is classified that the API does not take (no stale entries)', () => {
    expect(Object.keys(FREE_TEXT_FIELDS).filter((path) => !walked.has(path))).toEqual([]);
  });

  test('a field is personal exactly when its name is one the sealing and the audit chain treat as personal', () => {
    for (const [path, c] of Object.entries(FREE_TEXT_FIELDS)) {
      const key = path.split('.').pop()!.replace(/\[\]$/, '');
      expect([path, c.class === 'personal']).toEqual([path, PERSONAL_KEYS.has(key)]);
      expect(c.why.length).toBeGreaterThan(10);
    }
  });

  test('where the classification says callers are warned, the API (its OpenAPI description) warns them', () => {
    const warned = Object.entries(FREE_TEXT_FIELDS).filter(([, c]) => c.warned).map(([path]) => path);
    expect(warned.length).toBeGreaterThan(10);
    expect(warned.filter((path) => !walked.get(path)?.includes(NO_PEOPLE_HERE))).toEqual([]);
  });

  test('docs/personal-data.md lists every classified field with its class', () => {
    const page = readFileSync(join(__dirname, '..', 'docs', 'personal-data.md'), 'utf8');
    const missing = Object.entries(FREE_TEXT_FIELDS).filter(([path, c]) => !page.includes(`| \`${path}\` | ${c.class}`));
    expect(missing.map(([path]) => path)).toEqual([]);
  });

  test('the walk sees through constrained strings: business ids, dates, durations and person ids are not free text', () => {
    expect(walked.has('launch.onboarding.company')).toBe(false);
    expect(walked.has('launch.onboarding.deadlines.payment')).toBe(false);
    expect(walked.has('delegation.fromPerson')).toBe(false);
    expect(walked.has('person.email')).toBe(false);
    expect(walked.has('decision.comment')).toBe(true);
  });
});

describe('the walked inputs are all the API takes', () => {
  test("every JSON request body in the API's OpenAPI document is one of the walked schemas", async () => {
    const db = await createTestDatabase();
    const temporal = await connectTemporal();
    const api = await startApi(db, temporal);
    try {
      const doc = (await api.request('GET', '/api/docs/json')).body as {
        paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>>;
      };
      const walked = new Set(apiInputs().map(([, schema]) => JSON.stringify(toOpenApi(schema))));
      const bodies = Object.entries(doc.paths).flatMap(([path, operations]) => Object.entries(operations)
        .map(([method, op]) => [`${method.toUpperCase()} ${path}`, op.requestBody?.content?.['application/json']?.schema] as const)
        .filter(([, schema]) => schema !== undefined));
      expect(bodies.length).toBeGreaterThan(15);
      expect(bodies.filter(([, schema]) => !walked.has(JSON.stringify(schema))).map(([operation]) => operation)).toEqual([]);
    } finally {
      await api.close();
      await temporal.close();
      await db.drop();
    }
  });
});
