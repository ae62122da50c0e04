import fc from 'fast-check';
import type { Subject } from './model';
import { removedSummary, subjectRedaction } from './reportRules';

const subject: Subject = {
  childName: 'Zebedee Quartermaine',
  dateOfBirth: '2019-03-02',
  address: '1 Nowhere Lane, Exampletown, EX1 0AA',
  familyMembers: [{ name: 'Yolanda Quartermaine', relationship: 'mother' }],
};

const redact = (text: string) => subjectRedaction(subject, 'Child A').redact(text);
const letters = (text: string) => text.toLowerCase().replace(/[^a-z]/g, '');

describe('report redaction: dates of birth (issue 12, point 10)', () => {
  it.each([
    '2019-03-02',
    '2019/3/2',
    '02/03/2019',
    '2/3/2019',
    '2.3.19',
    '02-03-2019',
    '2 . 3 . 2019',
    '03/02/2019',
    '2 March 2019',
    '2nd March 2019',
    '2nd of March, 2019',
    'March 2nd 2019',
    'March 2, 2019',
    'march the 2nd 2019',
    'Mar 2 2019',
    'Mar. 2nd, 2019',
    "2 Mar '19",
    '2 MARCH 2019',
  ])('withholds %s', (written) => {
    expect(redact(`Born ${written}, seen weekly.`)).toBe('Born [date of birth withheld], seen weekly.');
  });

  it.each(['12 March 2019', '2 March 2018', '22/03/2019', '2019-03-20', '2 May 2019', '12.3.19', '2.3.1999'])(
    'leaves another date, %s, alone',
    (other) => {
      expect(redact(`Seen on ${other}.`)).toBe(`Seen on ${other}.`);
    },
  );
});

describe('report redaction: names however they are written (issue 12, point 10)', () => {
  it.each([
    ['zebedee', 'Child A'],
    ['ZEBEDEE', 'Child A'],
    ['ZeBeDeE', 'Child A'],
    ['Z e b e d e e', 'Child A'],
    ['Z.E.B.E.D.E.E', 'Child A'],
    ['Quarter-maine', 'Child A'],
    ['Quarter maine', 'Child A'],
    ['quartermaine', 'Child A'],
    ['Quartermaine, Zebedee', 'Child A'],
    ['Zebedee  Quartermaine', 'Child A'],
    ['Yolanda', '[mother]'],
    ['Quartermaine, Yolanda', '[mother]'],
  ])('replaces %s', (written, replacement) => {
    expect(redact(`Spoke to ${written} at home.`)).toBe(`Spoke to ${replacement} at home.`);
  });

  it('keeps the possessive', () => {
    expect(redact("Zebedee's school and YOLANDA’s car")).toBe("Child A's school and [mother]’s car");
  });

  it('counts what it removed, by field, without the values', () => {
    const redaction = subjectRedaction(subject, 'Child A');
    redaction.redact('Z e b e d e e (born 2.3.19) lives at 1 Nowhere Lane with yolanda.');
    redaction.redact('Quartermaine, Zebedee; EX1 0AA; 2 March 2019.');
    expect(redaction.removed()).toEqual({ childName: 2, familyMember: 1, address: 2, dateOfBirth: 2 });
  });

  it('tells the business unit what was removed in counts, never the values', () => {
    const redaction = subjectRedaction(subject, 'Child A');
    redaction.redact('Zebedee, ZEBEDEE and Yolanda; born 2.3.19');
    const told = removedSummary(redaction.removed());
    expect(told).toBe(
      "Removed from the free text: the child's name 2 times, a family member's name 1 time, the date of birth 1 time.",
    );
    expect(told).not.toMatch(/Zebedee|Yolanda|2019|2\.3\.19/);
    expect(removedSummary({ childName: 0, familyMember: 0, address: 0, dateOfBirth: 0 })).toBe(
      'Nothing identifying was found in the free text.',
    );
  });

  it('leaves nothing of the names in any mix of case, spacing, splitting and possessives', () => {
    const variants = (name: string) =>
      fc
        .tuple(
          fc.constantFrom('lower', 'upper', 'mixed', 'as'),
          fc.constantFrom('', ' ', '.', '-'),
          fc.boolean(),
        )
        .map(([caseOf, gap, possessive]) => {
          const cased =
            caseOf === 'lower'
              ? name.toLowerCase()
              : caseOf === 'upper'
                ? name.toUpperCase()
                : caseOf === 'mixed'
                  ? [...name].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join('')
                  : name;
          return [...cased].join(gap) + (possessive ? "'s" : '');
        });
    const filler = fc.constantFrom(
      'visited',
      'the',
      'school',
      'and',
      'on',
      'Tuesday',
      'with',
      'nurse',
      '.',
      ',',
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(filler, variants('Zebedee'), variants('Quartermaine'), variants('Yolanda')), {
          maxLength: 12,
        }),
        (words) => {
          const out = letters(redact(words.join(' ')));
          return !out.includes('zebedee') && !out.includes('quartermaine') && !out.includes('yolanda');
        },
      ),
      { numRuns: 500 },
    );
  });
});
