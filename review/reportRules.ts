/**
 * The rules of the Rapid Review report that are the process's, not the document's: the words for the
 * decision, what a report must hold before it may go to the National Panel, and the redaction that
 * keeps the child's and family's names and address out of anything that leaves the partnership.
 * The Word document itself is built in report/.
 */
import type { ReportSendingRules } from './lifecycle';
import type { LcsprAnswer, NationalImportanceAnswer, ReportPartKey, Review, Subject } from './model';
import type { PartnershipProfile } from './profile';

/** Question 1 of the decision: is an LCSPR needed? */
export const lcsprLabels: Record<LcsprAnswer, string> = {
  yes: 'Yes: undertake a Local Child Safeguarding Practice Review (LCSPR)',
  no: 'No LCSPR',
  'other-learning-review': 'No LCSPR: undertake another form of learning review',
  'no-further-review': 'No further review',
};

/** Question 2 of the decision: may the case raise issues of national importance? */
export const nationalImportanceLabels: Record<NationalImportanceAnswer, string> = {
  yes: 'Yes: the case may raise issues of national importance (a national review may be appropriate)',
  no: 'No: the case is not thought to raise issues of national importance',
};

/** The required parts of the report people write, as the report and refusals name them. */
export const reportPartLabels: Record<ReportPartKey, string> = {
  incidentSummary: 'the summary of the incident',
  practiceEpisodes: 'the analysis of key practice episodes',
  childContext: 'the context of the child’s and family’s lives',
};

/**
 * What the report still lacks before it may go to the National Panel: each part people write, and
 * the recorded decision. Empty when it is complete.
 */
export function missingReportParts(review: Review): string[] {
  const missing: string[] = [];
  if (!review.outcome) missing.push('the decision');
  for (const key of Object.keys(reportPartLabels) as ReportPartKey[]) {
    if (!review.reportParts?.[key]?.trim()) missing.push(reportPartLabels[key]);
  }
  return missing;
}

/**
 * What `report sent` checks for this review under its partnership's profile: the parts still missing,
 * and whether the profile requires the endorsement before the report goes to the National Panel.
 */
export function reportSendingRules(
  review: Review,
  profile: Pick<PartnershipProfile, 'endorsement'>,
): ReportSendingRules {
  return {
    missing: missingReportParts(review),
    endorsementRequired: profile.endorsement.requiredBeforeSending,
    endorsedBy: profile.endorsement.by,
  };
}

const WITHHELD_ADDRESS = '[address withheld]';
const WITHHELD_DATE_OF_BIRTH = '[date of birth withheld]';
const UK_POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/i;

/** A regular-expression source for `term` that also matches it without accents and with ' or ’. */
function looseSource(term: string): string {
  let source = '';
  for (const char of term.normalize('NFC')) {
    if (/['’‘`]/.test(char)) source += "['’‘`]";
    else if (/[\s-]/.test(char)) source += '[\\s-]+';
    else {
      const plain = char.normalize('NFD').replace(/\p{M}/gu, '');
      const escaped = char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      source += plain !== char && plain.length === 1 ? `[${escaped}${plain}]` : escaped;
    }
  }
  return source;
}

function nameTokens(name: string): string[] {
  const words = name.split(/\s+/).filter(Boolean);
  const parts = words.flatMap((word) => word.split('-'));
  const tokens = [...words, ...parts].filter((t) => t.replace(/[^\p{L}]/gu, '').length >= 2);
  return [...new Set(tokens)];
}

/**
 * Names that are also everyday words: matched only as written or in capitals, so that a mother called
 * May does not blank out every "may" in the report. Every other name matches in any case.
 */
const everydayWords = new Set(
  (
    'may june april august rose lily daisy holly ivy hope faith grace joy mark will bill pat sue bob ' +
    'ray dawn summer autumn amber ruby jack frank rich sandy penny victor brook river sky storm art dean ' +
    'guy hunter king young white black brown green wood long little bird cook baker moss field hill ' +
    'lane north west rob gay carol chase drew gene glen heather iris jay jewel lee les max miles ' +
    'misty page reed robin sage star sterling sunny tom van wade ward'
  ).split(' '),
);

/** What was redacted, by the subject's field it matched. */
export type RedactedField = 'childName' | 'familyMember' | 'address' | 'dateOfBirth';

interface RedactionRule {
  pattern: RegExp;
  replacement: string;
  field: RedactedField;
}

interface RuleSpec {
  /** A regular-expression source, matched as a whole word. */
  source: string;
  replacement: string;
  anyCase: boolean;
  field: RedactedField;
  /** Longer terms are replaced first. */
  weight: number;
}

function wholeWord(source: string, flags: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, flags);
}

/** A name written with its letters spaced or split ("Z e b e d e e", "Quarter-maine", "Q.U.A.R.T"). */
function spacedSource(token: string): string {
  const letters = [...token.normalize('NFC')].filter((char) => /\p{L}/u.test(char));
  return letters.map((char) => looseSource(char)).join("[\\s._'’-]?");
}

const monthNames = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/**
 * A date of birth as people write it: 2019-03-02, 02/03/2019, 2.3.19, 2-3-2019, 03/02/2019 (the
 * American order too), 2 March 2019, 2nd of March, 2019, March 2nd 2019, Mar 2 '19, 2 Mar 19.
 */
function dateSources(iso: string): string[] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return [];
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const yy = String(y % 100).padStart(2, '0');
  const year = `(?:${y}|['’]?${yy})`;
  const day = `0?${d}`;
  const month = `0?${m}`;
  const sep = '\\s*[/.\\-]\\s*';
  const name = monthNames[m - 1];
  const monthWord = `(?:${name}|${name.slice(0, 3)}${name === 'september' ? '|sept' : ''})\\.?`;
  const ordinal = `${day}(?:st|nd|rd|th)?`;
  return [
    `${y}${sep}${month}${sep}${day}`,
    `${day}${sep}${month}${sep}${year}`,
    `${month}${sep}${day}${sep}${year}`,
    `${ordinal}\\s+(?:of\\s+)?${monthWord},?\\s+${year}`,
    `${monthWord}\\s+(?:the\\s+)?${ordinal},?\\s+${year}`,
  ];
}

export interface SubjectRedaction {
  /** The text with the subject's names, address and date of birth replaced. */
  redact(text: string): string;
  /** How many of each were replaced so far, by field: what the business unit is told (never the values). */
  removed(): Record<RedactedField, number>;
}

/**
 * Replaces the child's and family's names, the address and the date of birth in free text, counting
 * what it replaced. Full names, the address and dates match in any case and common written forms;
 * single names match in any case, spaced or split ("Z e b e d e e", "Quarter-maine") and possessive,
 * except names that are everyday words (see everydayWords), which match as written or in capitals.
 */
export function subjectRedaction(subject: Subject, pseudonym: string): SubjectRedaction {
  const rules: RuleSpec[] = [];
  const addName = (name: string, replacement: string, field: RedactedField) => {
    if (!name.trim()) return;
    const full = name.trim();
    rules.push({ source: looseSource(full), replacement, anyCase: true, field, weight: full.length });
    const words = full.split(/\s+/);
    if (words.length >= 2) {
      // "Quartermaine, Zebedee": surname first, as records list people.
      const reversed = `${looseSource(words.at(-1) as string)},?\\s+${looseSource(words.slice(0, -1).join(' '))}`;
      rules.push({ source: reversed, replacement, anyCase: true, field, weight: full.length });
    }
    for (const token of nameTokens(name)) {
      const letters = token.replace(/[^\p{L}]/gu, '');
      if (everydayWords.has(letters.toLowerCase())) {
        for (const term of [token, token.toUpperCase()]) {
          rules.push({ source: looseSource(term), replacement, anyCase: false, field, weight: term.length });
        }
        continue;
      }
      rules.push({ source: looseSource(token), replacement, anyCase: true, field, weight: token.length });
      if (letters.length >= 4) {
        rules.push({ source: spacedSource(token), replacement, anyCase: true, field, weight: token.length });
      }
    }
  };
  addName(subject.childName, pseudonym, 'childName');
  const childOnly = compile(rules);
  for (const member of subject.familyMembers) {
    const relationship = applyRules(member.relationship.trim(), childOnly, () => undefined);
    addName(member.name, `[${relationship || 'family member'}]`, 'familyMember');
  }
  if (subject.address?.trim()) {
    const address = subject.address.trim();
    const add = (term: string) =>
      rules.push({
        source: looseSource(term),
        replacement: WITHHELD_ADDRESS,
        anyCase: true,
        field: 'address',
        weight: term.length,
      });
    add(address);
    const segments = address.split(/[,\n]/).map((s) => s.trim());
    // The first line (house and street) and the postcode identify a home; the town alone does not.
    for (const segment of segments.filter((s, i) => s.length >= 3 && (i === 0 || UK_POSTCODE.test(s)))) {
      add(segment);
    }
  }
  for (const source of subject.dateOfBirth ? dateSources(subject.dateOfBirth) : []) {
    rules.push({
      source,
      replacement: WITHHELD_DATE_OF_BIRTH,
      anyCase: true,
      field: 'dateOfBirth',
      weight: 100,
    });
  }
  const compiled = compile(rules);
  const removed: Record<RedactedField, number> = {
    childName: 0,
    familyMember: 0,
    address: 0,
    dateOfBirth: 0,
  };
  return {
    redact: (text) => applyRules(text.normalize('NFC'), compiled, (field) => (removed[field] += 1)),
    removed: () => ({ ...removed }),
  };
}

const removedLabels: Record<RedactedField, [string, string]> = {
  childName: ["the child's name", "the child's name"],
  familyMember: ["a family member's name", "family members' names"],
  address: ['the address', 'the address'],
  dateOfBirth: ['the date of birth', 'the date of birth'],
};

/** What the business unit is told was removed from the report: counts per field, never the values. */
export function removedSummary(removed: Record<RedactedField, number>): string {
  const parts = (Object.keys(removedLabels) as RedactedField[])
    .filter((field) => removed[field] > 0)
    .map(
      (field) =>
        `${removedLabels[field][removed[field] === 1 ? 0 : 1]} ${removed[field]} ${removed[field] === 1 ? 'time' : 'times'}`,
    );
  return parts.length === 0
    ? 'Nothing identifying was found in the free text.'
    : `Removed from the free text: ${parts.join(', ')}.`;
}

/** The redaction alone, for callers that do not report what was removed. */
export function subjectRedactor(subject: Subject, pseudonym: string): (text: string) => string {
  return subjectRedaction(subject, pseudonym).redact;
}

function compile(rules: RuleSpec[]): RedactionRule[] {
  // Dates and longest names first, so a full name is replaced whole before its parts are looked for.
  return [...rules]
    .sort((a, b) => b.weight - a.weight)
    .map((rule) => ({
      pattern: wholeWord(rule.source, rule.anyCase ? 'giu' : 'gu'),
      replacement: rule.replacement,
      field: rule.field,
    }));
}

function applyRules(text: string, rules: RedactionRule[], count: (field: RedactedField) => void): string {
  return rules.reduce(
    (out, rule) =>
      out.replace(rule.pattern, () => {
        count(rule.field);
        return rule.replacement;
      }),
    text,
  );
}
