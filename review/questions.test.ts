import { closestCommands, isGreeting, parseQuestion, plainWords, type QuestionKind } from './questions';

/** How people ask the five questions; each must be understood as the question it asks. */
export const phrasings: readonly [string, QuestionKind][] = [
  ["what's due this week", 'due-this-week'],
  ['What is due this week?', 'due-this-week'],
  ['whats due this week', 'due-this-week'],
  ['any deadlines this week?', 'due-this-week'],
  ['what deadlines are coming up this week', 'due-this-week'],
  ['what is happening this week', 'due-this-week'],
  ['anything due in the next few days?', 'due-this-week'],
  ['what have we got due this week', 'due-this-week'],
  ['deadlines this week', 'due-this-week'],
  ["who hasn't returned on RR-2026-003", 'not-returned'],
  ['who has not returned?', 'not-returned'],
  ['which agencies have not submitted', 'not-returned'],
  ['who is yet to return their scoping form', 'not-returned'],
  ['missing returns', 'not-returned'],
  ['who still has not sent their return?', 'not-returned'],
  ['which agency is late with its return', 'not-returned'],
  ['outstanding returns?', 'not-returned'],
  ['who do I need to chase', 'not-returned'],
  ["who hasn't submitted scoping", 'not-returned'],
  ['when is the meeting', 'meeting-when'],
  ['When is the meeting?', 'meeting-when'],
  ["when's the review meeting", 'meeting-when'],
  ['what time is the meeting', 'meeting-when'],
  ['what day is the rapid review meeting', 'meeting-when'],
  ['is the meeting booked?', 'meeting-when'],
  ['when do we meet', 'meeting-when'],
  ['meeting date?', 'meeting-when'],
  ['has the meeting been scheduled', 'meeting-when'],
  ['what is overdue', 'overdue'],
  ["what's overdue?", 'overdue'],
  ['anything overdue', 'overdue'],
  ['is anything late?', 'overdue'],
  ['are we behind?', 'overdue'],
  ['what is past due', 'overdue'],
  ['have we missed any deadlines', 'overdue'],
  ['overdue', 'overdue'],
  ['how many days left', 'days-left'],
  ['How many days left?', 'days-left'],
  ['how many working days are left', 'days-left'],
  ['how long have we got', 'days-left'],
  ['how much time is left', 'days-left'],
  ['days remaining?', 'days-left'],
  ['what day are we on', 'days-left'],
  ['how many days to go on RR-2026-003', 'days-left'],
  ['time left on the clock?', 'days-left'],
];

describe('questions in plain words', () => {
  it('has at least 40 phrasings, at least seven for each question', () => {
    expect(phrasings.length).toBeGreaterThanOrEqual(40);
    for (const kind of ['due-this-week', 'not-returned', 'meeting-when', 'overdue', 'days-left'] as const)
      expect(phrasings.filter(([, k]) => k === kind).length).toBeGreaterThanOrEqual(7);
  });

  it.each(phrasings)('understands “%s” as %s', (text, kind) => {
    expect(parseQuestion(text)?.kind).toBe(kind);
  });

  it('takes the review named in the question, in any case', () => {
    expect(parseQuestion("who hasn't returned on rr-2026-003?")).toEqual({
      kind: 'not-returned',
      reference: 'RR-2026-003',
    });
    expect(parseQuestion('when is the meeting')).toEqual({ kind: 'meeting-when' });
  });

  it('is not fooled by commands and chatter', () => {
    for (const text of ['status', 'open review', 'quorum', 'hello', 'report sent 2026-12-01', 'thanks', ''])
      expect(parseQuestion(text)).toBeUndefined();
  });

  it('spells out contractions and drops punctuation', () => {
    expect(plainWords('Who’s   NOT returned?!')).toBe('who is not returned');
    expect(plainWords("hasn't")).toBe('has not');
  });

  it('knows a greeting from a question', () => {
    for (const text of ['hi', 'Hello!', 'good morning', 'hey there', 'thanks'])
      expect(isGreeting(text)).toBe(true);
    for (const text of ['hi what is overdue', 'status']) expect(isGreeting(text)).toBe(false);
  });

  it('suggests the commands closest to a typo or a shared word, never everything', () => {
    const commands = ['status', 'record', 'meeting', 'reschedule', 'cancel meeting', 'attendance', 'quorum'];
    expect(closestCommands('stauts', commands)).toEqual(['status']);
    expect(closestCommands('quorom please', commands)[0]).toBe('quorum');
    expect(closestCommands('move the meeting', commands)).toEqual(['meeting', 'cancel meeting']);
    expect(closestCommands('banana', commands)).toEqual([]);
  });
});
