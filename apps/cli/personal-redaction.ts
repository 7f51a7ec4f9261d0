import { restorePersonal, separatePersonal } from '../../libs/domain/personal-data';
import { isPlainObject } from './options';

const JSON_ENCODING = Buffer.from('json/plain').toString('base64');
const REMOVED = '[personal data removed]';

/**
 * A Temporal history (as JSON) without personal data: inside every JSON payload (update arguments,
 * activity inputs and results, memos) the fields the audit trail treats as personal (see
 * libs/domain/personal-data.ts) are replaced with a marker. Replay does not compare payload contents,
 * so a redacted history still replays.
 */
export function withoutPersonalData(history: unknown): unknown {
  if (Array.isArray(history)) return history.map(withoutPersonalData);
  if (!isPlainObject(history)) return history;
  if (isJsonPayload(history)) return redactPayload(history);
  return Object.fromEntries(Object.entries(history).map(([k, v]) => [k, withoutPersonalData(v)]));
}

function isJsonPayload(o: Record<string, unknown>): o is { metadata: { encoding: string }; data: string } {
  return isPlainObject(o.metadata) && o.metadata.encoding === JSON_ENCODING && typeof o.data === 'string';
}

function redactPayload(payload: { metadata: { encoding: string }; data: string }): unknown {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8'));
  } catch {
    return payload;
  }
  const { chained, personal } = separatePersonal({ value: withoutEventDetails(value) });
  // The marker goes where each personal value was, so a reader sees that something was there.
  const marked = restorePersonal(chained, Object.fromEntries(Object.keys(personal).map((path) => [path, REMOVED])));
  const redacted = JSON.stringify(marked.value);
  return redacted === JSON.stringify(value) ? payload : { ...payload, data: Buffer.from(redacted).toString('base64') };
}

/** Business-event payloads (the event update's `payload`) come from other systems and may say anything: only amounts stay. */
const KEPT_EVENT_FIELDS = new Set(['amountCents', 'currency']);

function withoutEventDetails(value: unknown): unknown {
  const isEvent = isPlainObject(value) && typeof value.type === 'string' && typeof value.idempotencyKey === 'string' && isPlainObject(value.payload);
  if (!isEvent) return value;
  const payload = Object.fromEntries(
    Object.entries(value.payload as Record<string, unknown>).map(([k, v]) => [k, KEPT_EVENT_FIELDS.has(k) ? v : REMOVED]),
  );
  return { ...value, payload };
}
