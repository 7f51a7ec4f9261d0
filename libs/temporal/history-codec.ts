import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;

export type EncodedHistory = { gzip: Buffer; sha256: string; eventsCount: number };

/**
 * A history as the archive keeps it: the protobuf bytes Temporal itself serves (lossless, and what
 * `temporal workflow show --output json` is rendered from), gzip-compressed. The SHA-256 is of the
 * uncompressed protobuf, so it does not depend on the compressor.
 */
export function encodeHistory(history: History): EncodedHistory {
  const bytes = historyBytes(history);
  return {
    gzip: gzipSync(bytes),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    eventsCount: history.events?.length ?? 0,
  };
}

/** The protobuf bytes of a history, as Temporal serves them: what the archive's SHA-256 is of. */
export function historyBytes(history: History): Buffer {
  return Buffer.from(temporal.api.history.v1.History.encode(history).finish());
}

/** The archived history back; throws when its bytes no longer match the recorded SHA-256. */
export function decodeHistory(gzip: Buffer, sha256: string): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.decode(archivedBytes(gzip, sha256));
}

/** The archived protobuf bytes; throws when they no longer match the recorded SHA-256. */
export function archivedBytes(gzip: Buffer, sha256: string): Buffer {
  const bytes = gunzipSync(gzip);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256) throw new Error(`archived history does not match its SHA-256 (${actual} recorded ${sha256})`);
  return bytes;
}
