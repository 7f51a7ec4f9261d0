import { temporal } from '@temporalio/proto';
import { gzipSync, gunzipSync } from 'node:zlib';
import { decodeHistory, encodeHistory } from './history-codec';

const EventType = temporal.api.enums.v1.EventType;

const history = temporal.api.history.v1.History.create({
  events: [
    { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, workflowExecutionStartedEventAttributes: { workflowType: { name: 'projectLifecycle' } } },
    { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, workflowExecutionContinuedAsNewEventAttributes: { newExecutionRunId: 'r2' } },
  ],
});

test('an archived history decodes to the events it was encoded from, with its count and a stable SHA-256', () => {
  const encoded = encodeHistory(history);
  expect(encoded.eventsCount).toBe(2);
  expect(encoded.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(encodeHistory(history).sha256).toBe(encoded.sha256);
  const decoded = decodeHistory(encoded.gzip, encoded.sha256);
  expect(decoded.events.map((e) => e.eventType)).toEqual([EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW]);
  expect(decoded.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('projectLifecycle');
});

test('a history whose bytes changed after archiving is refused, whatever the compression', () => {
  const encoded = encodeHistory(history);
  const bytes = gunzipSync(encoded.gzip);
  // Recompressed at another level: other gzip bytes, same history, still accepted.
  expect(decodeHistory(gzipSync(bytes, { level: 1 }), encoded.sha256).events).toHaveLength(2);
  const tampered = Buffer.from(bytes);
  const last = tampered.length - 1;
  tampered.writeUInt8((tampered.readUInt8(last) ^ 1), last);
  expect(() => decodeHistory(gzipSync(tampered), encoded.sha256)).toThrow(/does not match its SHA-256/);
});
