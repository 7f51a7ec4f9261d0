/**
 * tools/verify-bundle.cjs — the verifier an auditor runs with Node alone — loaded as a module, so that
 * `fuusio verify` and the bench run the very same checks rather than a second copy of them.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type BundleVerification = {
  ok: boolean;
  /** What was checked, one line each, in the order checked. */
  lines: string[];
  /** What holds but an auditor should know (e.g. the key used is the bundle's own). */
  notes: string[];
  /** The first thing that does not hold: `where` names the event (seq, chain position), leaf, run or field. */
  problem?: { where: string; reason: string };
  events: number;
  runs: number;
};

export type StandaloneVerifier = {
  FORMAT: string;
  /** RFC 8785. */
  canonicalJson(value: unknown): string;
  /** The serialization of the chained content (RFC 8785 but with array-index keys first, as libs/db/canonical-json writes it). */
  chainedJson(value: unknown): string;
  verifyBundle(bundle: unknown, opts?: { publishedKey?: string }): BundleVerification;
  /** A bundle file's text: parsed, verified, and required to be in the RFC 8785 form Fuusio writes. */
  verifyText(text: string, opts?: { publishedKey?: string }): BundleVerification;
  /** A published key given as 64 hex digits or a PEM file, as the raw key's hex. */
  rawKeyFrom(arg: string): string;
  main(argv: string[], out?: { write(s: string): unknown }, err?: { write(s: string): unknown }): number;
};

export const STANDALONE_VERIFIER = join('tools', 'verify-bundle.cjs');

/** The file's path, found from the sources or from dist/ by walking up to the project root. */
export function standaloneVerifierPath(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, STANDALONE_VERIFIER);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) throw new Error(`${STANDALONE_VERIFIER} was not found above ${__dirname}`);
  }
}

export function standaloneVerifier(): StandaloneVerifier {
  return createRequire(__filename)(standaloneVerifierPath()) as StandaloneVerifier;
}
