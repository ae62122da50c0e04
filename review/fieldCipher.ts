/**
 * Field-level encryption at rest: AES-256-GCM (Node's crypto), a random 96-bit IV per value, and the
 * id of the key that sealed it stored with each ciphertext, so keys can rotate: the current key seals
 * new writes, every key in the ring still opens what it sealed, and `rapid-review rotate-keys`
 * re-seals the rest under the current key.
 *
 * A sealed value is one string: `rrenc:1:<keyId>:<iv>:<ciphertext>:<tag>` (base64url parts). The
 * caller's context (review id and field) is bound in as additional authenticated data, so a
 * ciphertext copied into another review or another field is refused like a tampered one.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const sealedPrefix = 'rrenc:1:';

const keyIdPattern = /^[A-Za-z0-9_.-]{1,64}$/;

/** A development key, public in this repository: `npm run dev` and tests only; production refuses it. */
export const developmentKeyId = 'dev-only-not-secret';
export const developmentKeySetting = `${developmentKeyId}:${Buffer.alloc(32, 0x2a).toString('base64')}`;

export class TamperedCiphertextError extends Error {
  constructor(context: string, why: string) {
    super(`encrypted field ${context}: ${why}; refused (the database copy may have been altered)`);
    this.name = 'TamperedCiphertextError';
  }
}

export class FieldCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;

  /** `keys` in the order given by the setting; the first is the current key. */
  constructor(keys: ReadonlyArray<readonly [string, Buffer]>) {
    const [first] = keys;
    if (!first) throw new Error('DATA_ENCRYPTION_KEYS: at least one key is required');
    const ring = new Map<string, Buffer>();
    for (const [id, key] of keys) {
      if (!keyIdPattern.test(id)) {
        throw new Error(`DATA_ENCRYPTION_KEYS: key id '${id}' must be 1-64 letters, digits, '.', '_' or '-'`);
      }
      if (key.length !== 32) {
        throw new Error(
          `DATA_ENCRYPTION_KEYS: key '${id}' must be 256 bits (32 bytes, base64), got ${key.length} bytes`,
        );
      }
      if (ring.has(id)) throw new Error(`DATA_ENCRYPTION_KEYS: key id '${id}' is given twice`);
      ring.set(id, key);
    }
    this.keys = ring;
    this.currentKeyId = first[0];
  }

  readonly currentKeyId: string;

  /** True when only the public development key is configured. */
  get isDevelopmentOnly(): boolean {
    return this.keys.has(developmentKeyId);
  }

  seal(plaintext: string, context: string): string {
    const key = this.keys.get(this.currentKeyId);
    if (!key) throw new Error('the current key is missing from the key ring');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${sealedPrefix}${this.currentKeyId}:${b64(iv)}:${b64(body)}:${b64(tag)}`;
  }

  open(sealed: string, context: string): string {
    const parts = sealed.slice(sealedPrefix.length).split(':');
    if (!sealed.startsWith(sealedPrefix) || parts.length !== 4) {
      throw new TamperedCiphertextError(context, 'not a sealed value');
    }
    const [keyId, ivText, bodyText, tagText] = parts as [string, string, string, string];
    const key = this.keys.get(keyId);
    if (!key) {
      throw new Error(
        `encrypted field ${context}: sealed with key '${keyId}', which DATA_ENCRYPTION_KEYS does not hold (keep old keys until rotate-keys has run)`,
      );
    }
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== 12 || tag.length !== 16) throw new TamperedCiphertextError(context, 'malformed');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(bodyText, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new TamperedCiphertextError(context, 'authentication failed');
    }
  }
}

/** The key id a sealed value names, or undefined for a value that is not sealed. */
export function sealedKeyId(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith(sealedPrefix)) return undefined;
  return value.slice(sealedPrefix.length).split(':', 1)[0];
}

/**
 * The DATA_ENCRYPTION_KEYS setting: `keyId:base64key` entries separated by commas, the current key
 * first, e.g. `2026-11:…,2026-05:…`.
 */
export function parseDataKeys(setting: string): FieldCipher {
  const entries = setting
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return new FieldCipher(
    entries.map((entry): [string, Buffer] => {
      const colon = entry.indexOf(':');
      if (colon < 1) throw new Error('DATA_ENCRYPTION_KEYS: each entry must be keyId:base64key');
      const text = entry.slice(colon + 1);
      if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
        throw new Error(`DATA_ENCRYPTION_KEYS: key '${entry.slice(0, colon)}' is not base64`);
      }
      return [entry.slice(0, colon), Buffer.from(text, 'base64')];
    }),
  );
}

export const developmentCipher = (): FieldCipher => parseDataKeys(developmentKeySetting);

function b64(buffer: Buffer): string {
  return buffer.toString('base64url');
}
