import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SEALED_FORMAT, type SealedValue } from '../domain/personal-data';

/**
 * Seals one personal value (any JSON) under a 32-byte key. The key id is bound into the authenticated
 * data, so a sealed value moved under another key id does not open.
 */
export function seal(value: unknown, kid: string, secret: Buffer): SealedValue {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secret, iv);
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return { $sealed: SEALED_FORMAT, kid, iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** The value sealed, or `undefined` when it does not open under this key (altered, or another key). */
export function unseal(sealed: SealedValue, secret: Buffer): unknown {
  try {
    const decipher = createDecipheriv('aes-256-gcm', secret, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(sealed.kid, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]).toString('utf8');
    return JSON.parse(plain) as unknown;
  } catch {
    return undefined;
  }
}
