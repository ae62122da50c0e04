/**
 * Text both stores can hold. NUL and unpaired UTF-16 surrogates cannot be stored by PostgreSQL in
 * text or JSON (SQLite can), so they are refused wherever text comes in — with the same message on
 * both stores — rather than failing the save.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what is refused
const unstorableCharacter = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const unstorableCharacterMessage =
  'Must not contain a NUL character or an unpaired surrogate (text that is not valid Unicode)';

export function isStorableText(text: string): boolean {
  return !unstorableCharacter.test(text);
}
