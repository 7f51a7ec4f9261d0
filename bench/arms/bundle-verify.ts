/**
 * A1: the offline verifier's rate. A bundle of N chained events (each with its RFC 6962 inclusion proof
 * in a tree that also holds other chains' leaves, one signed checkpoint, one run's history) is made with
 * the server's formulas, written as the canonical file Fuusio exports, and verified by
 * tools/verify-bundle.cjs in this process: parsing, every hash, every proof, the signature, the canonical form.
 */
import canonicalize from 'canonicalize';
import { standaloneVerifier } from '../../libs/audit/standalone-verifier';
import { syntheticBundle } from '../../libs/audit/synthetic-bundle';

export type BundleVerifyResult = { rep: number; events: number; fileBytes: number; seconds: number; eventsPerSecond: number };

export function runBundleVerify(events: number, rep: number): BundleVerifyResult {
  const { bundle, publicKeyHex } = syntheticBundle({ events, othersBetween: 3 });
  const text = `${canonicalize(bundle)!}\n`;
  const verifier = standaloneVerifier();
  const started = performance.now();
  const result = verifier.verifyText(text, { publishedKey: publicKeyHex });
  const seconds = (performance.now() - started) / 1000;
  if (!result.ok) throw new Error(`A1: the generated bundle does not verify: ${result.problem?.where}: ${result.problem?.reason}`);
  return { rep, events: result.events, fileBytes: Buffer.byteLength(text), seconds, eventsPerSecond: result.events / seconds };
}
