/**
 * Binds a card template (cards/templates/*.json, `adaptivecards-templating` ${} syntax) to data.
 *
 * Templates stay plain JSON so they can be opened in the Adaptive Cards designer; the bind functions
 * beside them build a complete, typed data object first. Two rules make a bound card valid:
 * - every field a template names is present in the data (a missing one would be left as the literal
 *   text '${field}'; the card tests look for that), and
 * - a property bound to null is dropped, which is how a template leaves out an optional value
 *   (an Input.Number with no value, an empty `refresh`).
 */
import { Template } from 'adaptivecards-templating';

/** An Adaptive Card as a plain JSON object, ready to send as an attachment or an invoke response. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  body: unknown[];
  [property: string]: unknown;
}

/** Teams 1.5 at most: a higher version shows only the fallback text. */
export const cardVersion = '1.5';

const prepared = new WeakMap<object, Template>();

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map(withoutNulls);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, withoutNulls(v)]),
    );
  }
  return value;
}

export function bindTemplate(template: object, data: object): AdaptiveCard {
  let compiled = prepared.get(template);
  if (!compiled) {
    compiled = new Template(template);
    prepared.set(template, compiled);
  }
  // Data values are inserted as they are, never evaluated, so text a user typed such as '${x}'
  // stays text.
  const card = withoutNulls(compiled.expand({ $root: data })) as AdaptiveCard;
  if (card.type !== 'AdaptiveCard' || card.version !== cardVersion) {
    throw new Error(`card template must be an AdaptiveCard of version ${cardVersion}`);
  }
  return card;
}

/** Action data for Action.Execute and its Action.Submit fallback (which carries the verb itself). */
export function executeAction<T extends Record<string, unknown>>(
  verb: string,
  data: T,
): { verb: string; data: T; fallbackData: T & { verb: string } } {
  return { verb, data, fallbackData: { ...data, verb } };
}
