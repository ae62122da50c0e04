import {
  FieldCipher,
  TamperedCiphertextError,
  developmentCipher,
  parseDataKeys,
  sealedKeyId,
} from './fieldCipher';

const keyA = Buffer.alloc(32, 0xa1);
const keyB = Buffer.alloc(32, 0xb2);

describe('FieldCipher (AES-256-GCM)', () => {
  it('opens what it sealed, names the key in the value, and uses a fresh IV each time', () => {
    const cipher = new FieldCipher([['a', keyA]]);
    const first = cipher.seal('Zoë O’Fictional', 'r1/subject');
    const second = cipher.seal('Zoë O’Fictional', 'r1/subject');
    expect(first).not.toEqual(second);
    expect(first).not.toContain('Fictional');
    expect(sealedKeyId(first)).toBe('a');
    expect(cipher.open(first, 'r1/subject')).toBe('Zoë O’Fictional');
    expect(cipher.open(second, 'r1/subject')).toBe('Zoë O’Fictional');
  });

  it('refuses a value sealed for another context, a changed tag or body, or a mangled value', () => {
    const cipher = new FieldCipher([['a', keyA]]);
    const sealed = cipher.seal('secret', 'r1/subject');
    expect(() => cipher.open(sealed, 'r2/subject')).toThrow(TamperedCiphertextError);
    const parts = sealed.split(':');
    const flip = (text: string) => `${text[0] === 'A' ? 'B' : 'A'}${text.slice(1)}`;
    for (const index of [3, 4, 5]) {
      const changed = [...parts];
      changed[index] = flip(changed[index] ?? '');
      expect(() => cipher.open(changed.join(':'), 'r1/subject')).toThrow(TamperedCiphertextError);
    }
    expect(() => cipher.open('rrenc:1:a:xx', 'r1/subject')).toThrow(TamperedCiphertextError);
  });

  it('seals with the first key and still opens with older ones; a missing key is named', () => {
    const old = new FieldCipher([['a', keyA]]);
    const ring = new FieldCipher([
      ['b', keyB],
      ['a', keyA],
    ]);
    const underA = old.seal('text', 'c');
    expect(ring.open(underA, 'c')).toBe('text');
    expect(sealedKeyId(ring.seal('text', 'c'))).toBe('b');
    expect(() => old.open(ring.seal('text', 'c'), 'c')).toThrow(/sealed with key 'b'.*does not hold/);
  });

  it('reads DATA_ENCRYPTION_KEYS, refusing short keys, bad ids, duplicates and an empty setting', () => {
    const setting = `2026-11:${keyB.toString('base64')}, 2026-05:${keyA.toString('base64')}`;
    expect(parseDataKeys(setting).currentKeyId).toBe('2026-11');
    expect(() => parseDataKeys('')).toThrow(/at least one key/);
    expect(() => parseDataKeys(`k:${Buffer.alloc(16).toString('base64')}`)).toThrow(/256 bits/);
    expect(() => parseDataKeys(`bad id:${keyA.toString('base64')}`)).toThrow(/key id 'bad id'/);
    expect(() => parseDataKeys(`k:${keyA.toString('base64')},k:${keyB.toString('base64')}`)).toThrow(
      /given twice/,
    );
    expect(() => parseDataKeys('k:not base64!')).toThrow(/not base64/);
  });

  it('marks the development key as development only', () => {
    expect(developmentCipher().isDevelopmentOnly).toBe(true);
    expect(new FieldCipher([['a', keyA]]).isDevelopmentOnly).toBe(false);
  });
});
