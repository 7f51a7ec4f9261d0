import { InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import { validateBusinessId } from '../../libs/domain/business-id';
import { UsageError } from './io';

/** Option parsers: a bad value is a usage error (exit 2) that names the option. */

export function parseBusinessId(value: string): string {
  const r = validateBusinessId(value);
  if (!r.ok) throw new InvalidArgumentError(`"${value}" is not a business ID: ${r.reason}`);
  return r.value;
}

export function parseLimit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1 || n > 200) {
    throw new InvalidArgumentError('must be a whole number from 1 to 200');
  }
  return n;
}

export function parseDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidArgumentError('must be a date as YYYY-MM-DD');
  }
  return value;
}

export function nonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('must not be empty');
  return value;
}

/** JSON text from an option; `what` names it in the message. */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${what} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${path}${code ? ` (${code})` : ''}`);
  }
  return parseJsonText(text, path);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
