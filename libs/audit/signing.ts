/**
 * The key that signs audit checkpoints (Ed25519, node:crypto). Configured as AUDIT_SIGNING_KEY (a PKCS#8
 * PEM); without it a fixed development key is used, which the public-key route marks as such and which
 * production refuses (libs/config). An auditor keeps the public key and the checkpoints it signed.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export type CheckpointStatement = { treeSize: number; rootHash: string; signedAt: string };
export type SigningKey = { privateKey: KeyObject; publicKey: KeyObject; keyId: string; publicKeyPem: string; publicKeyHex: string; development: boolean };

// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): the 16 bytes before the 32-byte seed.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
// Not a secret: the development key is derived from a published seed, so anyone can forge its signatures.
const DEV_SEED = createHash('sha256').update('fuusio development audit signing key; never use in production').digest();

export function loadSigningKey(pem: string | null): SigningKey {
  const privateKey = pem
    ? createPrivateKey(pem.replace(/\\n/g, '\n'))
    : createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, DEV_SEED]), format: 'der', type: 'pkcs8' });
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`AUDIT_SIGNING_KEY must be an Ed25519 key, not ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  const raw = rawPublicKey(publicKey);
  return {
    privateKey, publicKey, keyId: keyIdOf(raw), publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicKeyHex: raw.toString('hex'), development: !pem,
  };
}

/** The 32 raw bytes of an Ed25519 public key (the end of its SPKI DER). */
function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' }).subarray(-32);
}

/** The first 16 hex digits of SHA-256 of the raw public key: names the key a checkpoint was signed with. */
export function keyIdOf(rawKey: Buffer): string {
  return createHash('sha256').update(rawKey).digest('hex').slice(0, 16);
}

/** The exact bytes signed: versioned text, one field a line, so anyone can rebuild it from a checkpoint. */
export function checkpointStatement(c: CheckpointStatement): Buffer {
  return Buffer.from(`fuusio-audit-checkpoint v1\ntree_size ${c.treeSize}\nroot ${c.rootHash}\nsigned_at ${c.signedAt}\n`, 'utf8');
}

export function signCheckpoint(key: SigningKey, c: CheckpointStatement): string {
  return sign(null, checkpointStatement(c), key.privateKey).toString('base64');
}

export function verifyCheckpointSignature(publicKey: KeyObject, c: CheckpointStatement, signature: string): boolean {
  try {
    return verify(null, checkpointStatement(c), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
