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

interface RedactionRule {
  pattern: RegExp;
  replacement: string;
}

function wholeWord(source: string, flags: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, flags);
}

/**
 * Replaces the child's and family's names and the address in free text. Full names and the address
 * match in any case; single names match as written or in capitals (records often write surnames in
 * capitals), so that a mother called May does not blank out every "may" in the report.
 */
export function subjectRedactor(subject: Subject, pseudonym: string): (text: string) => string {
  const rules: { term: string; replacement: string; anyCase: boolean }[] = [];
  const addName = (name: string, replacement: string) => {
    if (!name.trim()) return;
    rules.push({ term: name.trim(), replacement, anyCase: true });
    for (const token of nameTokens(name)) {
      rules.push({ term: token, replacement, anyCase: false });
      rules.push({ term: token.toUpperCase(), replacement, anyCase: false });
    }
  };
  addName(subject.childName, pseudonym);
  const redactChild = (text: string) => applyRules(text, compile(rules));
  for (const member of subject.familyMembers) {
    addName(member.name, `[${redactChild(member.relationship.trim()) || 'family member'}]`);
  }
  if (subject.address?.trim()) {
    const address = subject.address.trim();
    rules.push({ term: address, replacement: WITHHELD_ADDRESS, anyCase: true });
    const segments = address.split(/[,\n]/).map((s) => s.trim());
    // The first line (house and street) and the postcode identify a home; the town alone does not.
    for (const segment of segments.filter((s, i) => s.length >= 3 && (i === 0 || UK_POSTCODE.test(s)))) {
      rules.push({ term: segment, replacement: WITHHELD_ADDRESS, anyCase: true });
    }
  }
  const compiled = compile(rules);
  return (text: string) => applyRules(text.normalize('NFC'), compiled);
}

function compile(rules: { term: string; replacement: string; anyCase: boolean }[]): RedactionRule[] {
  // Longest first, so a full name is replaced whole before its parts are looked for.
  return [...rules]
    .sort((a, b) => b.term.length - a.term.length)
    .map((rule) => ({
      pattern: wholeWord(looseSource(rule.term), rule.anyCase ? 'giu' : 'gu'),
      replacement: rule.replacement,
    }));
}

function applyRules(text: string, rules: RedactionRule[]): string {
  return rules.reduce((out, rule) => out.replace(rule.pattern, () => rule.replacement), text);
}
