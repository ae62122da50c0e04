import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { runCli } from '../cli/main';
import { ProfileRegistry } from '../review/profile';
import { reviewStatus, portfolioRow } from '../scheduler/reviewStatus';
import { cardGallery, galleryRefreshUserIds, galleryReview, galleryToday } from './cardGallery';
import type { AdaptiveCard } from './cardTemplate';
import { formatDate } from './cardText';
import { alertCard, helpCard } from './conversationCards';
import { portfolioCard, reviewStatusCard } from './reviewCards';
import { maxRefreshUserIds, scopingRequestCard } from './scopingCards';
import { cardVerbs } from './verbs';

const schemaFile = path.join(__dirname, '..', 'test', 'fixtures', 'schemas', 'adaptive-card-1.5.schema.json');
const teamsMessageLimit = 40 * 1024;
const profiles = new ProfileRegistry();
const england = profiles.get('england');

function cardValidator(): ValidateFunction {
  // The schema is draft-06, which ajv 8 knows only once its meta-schema is added; strict: false lets
  // ajv skip the schema's own annotations (e.g. 'version' on each property) instead of refusing them.
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft06);
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addFormat('uri-reference', (value: string) => !/\s/.test(value));
  // The file names itself with draft-04's `id`, which ajv 8 refuses; draft-06 spells it `$id`. The
  // copy under test/fixtures stays byte for byte Microsoft's, so the rename happens in memory.
  const { id, ...schema } = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  return ajv.compile({ $id: id, ...schema });
}
const validate = cardValidator();

/** Teams' own `msteams` property is not part of the Adaptive Card schema. */
function withoutTeamsProperty(card: Record<string, unknown>): Record<string, unknown> {
  const { msteams: _msteams, ...rest } = card;
  return rest;
}

/**
 * Teams' people picker (`choices.data` on Input.ChoiceSet: "People Picker in Adaptive Cards",
 * learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/people-picker) is a Teams
 * extension the 1.5 schema does not define, like `msteams`: it is checked against its documented
 * shape here, and the rest of the card against the schema.
 */
const peoplePickerDatasets = ['graph.microsoft.com/users', 'graph.microsoft.com/users?scope=currentContext'];
function withoutPeoplePickers(value: unknown, problems: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutPeoplePickers(v, problems));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'choices.data') {
      const query = v as { type?: unknown; dataset?: unknown };
      if ((value as { type?: unknown }).type !== 'Input.ChoiceSet')
        problems.push('choices.data outside an Input.ChoiceSet');
      if (query?.type !== 'Data.Query' || !peoplePickerDatasets.includes(String(query?.dataset)))
        problems.push(`choices.data is not a documented people-picker query: ${JSON.stringify(v)}`);
      continue;
    }
    out[key] = withoutPeoplePickers(v, problems);
  }
  return out;
}

function schemaErrors(card: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const checked = withoutPeoplePickers(withoutTeamsProperty(card), problems) as Record<string, unknown>;
  if (problems.length > 0) return problems;
  if (validate(checked)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

type Node = Record<string, unknown>;
function walk(value: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit));
  else if (typeof value === 'object' && value !== null) {
    visit(value as Node);
    Object.values(value).forEach((v) => walk(v, visit));
  }
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

const expectedFiles = [
  'open-review-form.json',
  'open-review-form-without-directory.json',
  'open-review-form-errors.json',
  'directory.json',
  'welcome.json',
  'scoping-request.json',
  'scoping-form.json',
  'scoping-form-errors.json',
  'scoping-submitted.json',
  'review-status.json',
  'portfolio.json',
  'help-personal.json',
  'help-business-unit-channel.json',
  'help-review-channel.json',
  'help-meeting-chat.json',
  'refusal.json',
  'slot-proposal.json',
  'meeting.json',
  'no-slot.json',
  'quorum.json',
  'quorum-decision.json',
  'outcome-form.json',
  'outcome-form-errors.json',
  'sign-off.json',
  'alert.json',
];

describe('the card schema check itself', () => {
  it('rejects a property the schema does not define, and a wrong value type', () => {
    const card = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: 'x', colour: 'red' }],
    };
    expect(schemaErrors(card)).not.toEqual([]);
    const toggle = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'Input.Toggle', id: 't', title: 'T', value: true }],
    };
    expect(schemaErrors(toggle)).not.toEqual([]);
  });
});

describe('rapid-review cards --out DIR', () => {
  let dir: string;
  let written: Map<string, AdaptiveCard>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapid-review-cards-'));
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['cards', '--out', dir], { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect({ code, err }).toEqual({ code: 0, err: [] });
    written = new Map(
      fs.readdirSync(dir).map((file) => [file, JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))]),
    );
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the open-review form with the directory’s agencies to tick (statutory partners ticked) and a people picker for the chair', () => {
    const form = written.get('open-review-form.json') as Record<string, unknown>;
    const inputs: Record<string, unknown>[] = [];
    walk(form, (node) => {
      if (node.type === 'Input.ChoiceSet' || node.type === 'Input.Text') inputs.push(node);
    });
    const agencies = inputs.find((i) => i.id === 'directoryAgencies') as Record<string, unknown>;
    expect(agencies).toMatchObject({ isMultiSelect: true, style: 'expanded' });
    expect((agencies.choices as unknown[]).length).toBe(6);
    expect(String(agencies.value).split(',')).toEqual([
      'sampleshire-county-council-children-s-services',
      'sampleshire-constabulary',
      'sampleshire-integrated-care-board',
    ]);
    const chair = inputs.find((i) => i.id === 'chair') as Record<string, unknown>;
    expect(chair['choices.data']).toEqual({ type: 'Data.Query', dataset: 'graph.microsoft.com/users' });
    expect(inputs.some((i) => i.id === 'chairEmail')).toBe(true);
    expect(JSON.stringify(form).length).toBeLessThan(40 * 1024);
    // Two one-off agency blocks instead of six blank ones.
    expect(inputs.filter((i) => /^agency\dName$/.test(String(i.id)))).toHaveLength(2);
  });

  it('would refuse a people picker of another shape', () => {
    const card = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        {
          type: 'Input.ChoiceSet',
          id: 'p',
          choices: [],
          'choices.data': { type: 'Data.Query', dataset: 'x' },
        },
      ],
    };
    expect(schemaErrors(card)).not.toEqual([]);
  });

  it('writes one JSON file per card', () => {
    expect([...written.keys()]).toEqual(expect.arrayContaining(expectedFiles));
  });

  it('writes only cards that validate against the official Adaptive Card 1.5 schema', () => {
    const failures = [...written].flatMap(([file, card]) => schemaErrors(card).map((e) => `${file}: ${e}`));
    expect(failures).toEqual([]);
  });

  it('keeps every card at version 1.5 or lower and under Teams’ 40 KB message limit', () => {
    for (const [file, card] of written) {
      const version = Number(card.version);
      expect({ file, tooNew: !(version <= 1.5) }).toEqual({ file, tooNew: false });
      expect({ file, bytes: Buffer.byteLength(JSON.stringify(card)) < teamsMessageLimit }).toEqual({
        file,
        bytes: true,
      });
    }
  });

  it('leaves no template binding unresolved', () => {
    for (const [file, card] of written) {
      expect({ file, unbound: strings(card).filter((s) => s.includes('${')) }).toEqual({ file, unbound: [] });
    }
  });

  it('gives every input a unique id, so no answer overwrites another', () => {
    for (const [file, card] of written) {
      const ids: string[] = [];
      walk(card, (node) => {
        if (typeof node.type === 'string' && node.type.startsWith('Input.')) ids.push(node.id as string);
      });
      expect({ file, duplicates: ids.filter((id, i) => ids.indexOf(id) !== i) }).toEqual({
        file,
        duplicates: [],
      });
    }
  });

  it('uses only known verbs, each with an Action.Submit fallback carrying the same verb and data', () => {
    const known: string[] = Object.values(cardVerbs);
    let executes = 0;
    for (const [file, card] of written) {
      walk(card, (node) => {
        if (node.type !== 'Action.Execute') return;
        executes += 1;
        expect({ file, verb: known.includes(node.verb as string) }).toEqual({ file, verb: true });
        // The refresh action is run by the client itself and needs no button fallback.
        const refresh = (card.refresh as Node | undefined)?.action === node;
        if (refresh) return;
        const fallback = node.fallback as Node;
        expect(fallback.type).toBe('Action.Submit');
        expect(fallback.data).toEqual({ ...(node.data as object), verb: node.verb });
      });
    }
    expect(executes).toBeGreaterThan(10);
  });

  it('writes a different profile’s cards with --profile', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'rapid-review-cards-'));
    try {
      const out: string[] = [];
      const code = await runCli(['cards', '--out', other, '--profile', 'walsall'], {
        out: (l) => out.push(l),
        err: () => undefined,
      });
      expect(code).toBe(0);
      const form = JSON.parse(fs.readFileSync(path.join(other, 'open-review-form.json'), 'utf8'));
      // Walsall agrees the scoping-return timescale per review, so its form asks for it.
      expect(JSON.stringify(form)).toContain('"id":"scopingReturnDays"');
      expect(JSON.stringify(written.get('open-review-form.json'))).not.toContain('"id":"scopingReturnDays"');
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('answers a missing --out or an unknown profile with one line and exit code 2', async () => {
    for (const [argv, message] of [
      [['cards'], /--out: required/],
      [['cards', '--out', dir, '--profile', 'kent'], /--profile: 'kent' is not a known profile/],
      [['cards', '--out', dir, '--pdf'], /cards: Unknown option '--pdf'/],
    ] as const) {
      const err: string[] = [];
      const code = await runCli([...argv], { out: () => undefined, err: (l) => err.push(l) });
      expect(code).toBe(2);
      expect(err).toEqual([expect.stringMatching(message)]);
    }
  });
});

describe('subject data', () => {
  // A name no template or sample could contain by chance.
  const childName = 'Quillon Zephyrine-Uniquetest';
  const gallery = cardGallery(england, childName);
  const review = galleryReview({ childName });
  const secrets = [
    childName,
    review.subject.dateOfBirth as string,
    formatDate(review.subject.dateOfBirth as string),
    review.subject.address as string,
    ...review.subject.familyMembers.map((f) => f.name),
  ];
  const leaks = (card: AdaptiveCard) => secrets.filter((s) => JSON.stringify(card).includes(s));

  it('appears on the restricted cards that need it (so the check below can see it)', () => {
    for (const file of ['welcome.json', 'scoping-form.json']) {
      expect(leaks(gallery.find((c) => c.file === file)?.card as AdaptiveCard)).toContain(childName);
    }
  });

  it('never appears on a card that may be shown outside the review channel', () => {
    const open = gallery.filter((c) => !c.restricted);
    expect(open.map((c) => c.file)).toEqual(
      expect.arrayContaining(['portfolio.json', 'review-status.json', 'alert.json', 'quorum.json']),
    );
    for (const { file, card } of open) expect({ file, leaks: leaks(card) }).toEqual({ file, leaks: [] });
  });

  it('cannot reach the status, portfolio or alert card even when bound straight from the review', () => {
    const status = reviewStatusCard(reviewStatus(review, england, galleryToday));
    const portfolio = portfolioCard([portfolioRow(review, england, galleryToday)], {
      today: galleryToday,
      partnershipName: england.name,
    });
    const alert = alertCard({
      review,
      text: 'Returns are due tomorrow.',
      mentions: review.agencies[0].representatives,
    });
    for (const card of [status, portfolio, alert]) expect(leaks(card)).toEqual([]);
  });
});

describe('a SIN-anchored review with no SIN date on the status and portfolio cards (issue 11, point 2)', () => {
  it('says so loudly on both, naming the command that records it', () => {
    const base = galleryReview();
    const review = { ...base, anchors: { referral: base.anchors.referral } };
    const warning = 'No SIN date recorded: the statutory deadline cannot be computed — record sin DATE';
    const status = JSON.stringify(reviewStatusCard(reviewStatus(review, england, galleryToday)));
    const portfolio = JSON.stringify(
      portfolioCard([portfolioRow(review, england, galleryToday)], {
        today: galleryToday,
        partnershipName: england.name,
      }),
    );
    expect(status).toContain(warning);
    expect(portfolio).toContain(warning);
    expect(JSON.stringify(reviewStatusCard(reviewStatus(base, england, galleryToday)))).not.toContain(
      'No SIN date recorded',
    );
  });
});

describe('scopingRequestCard', () => {
  const review = galleryReview();

  it('shows the scoping period agreed for the review where the partnership agrees one (Staffordshire)', () => {
    const staffordshire = profiles.get('staffordshire');
    const options = { today: galleryToday, refreshUserIds: galleryRefreshUserIds(review, 'police') };
    const pending = JSON.stringify(scopingRequestCard(review, 'police', staffordshire, options));
    expect(pending).toContain('Scoping period');
    expect(pending).toContain('not agreed yet');
    const agreed = { ...review, scopingPeriod: { from: '2024-12-01', to: '2026-11-30' } };
    expect(JSON.stringify(scopingRequestCard(agreed, 'police', staffordshire, options))).toContain(
      `${formatDate('2024-12-01')} to ${formatDate('2026-11-30')}`,
    );
    expect(JSON.stringify(scopingRequestCard(review, 'police', england, options))).not.toContain(
      'Scoping period',
    );
  });

  it('shows the shared status only, and refreshes to their own view for representatives and the business unit', () => {
    const card = scopingRequestCard(review, 'police', england, {
      today: galleryToday,
      refreshUserIds: galleryRefreshUserIds(review, 'police'),
    });
    const text = JSON.stringify(card);
    expect(text).toContain('Submitted by Sam Specimen on Tue 29 Dec 2026, 15:42');
    expect(text).toContain('Submitted (revision 2)');
    const police = review.scopingReturns.find((r) => r.agencyId === 'police');
    expect(text).not.toContain(police?.answers?.natureOfInvolvement);
    expect(card.refresh).toEqual({
      action: {
        type: 'Action.Execute',
        title: 'Show my view',
        verb: 'scopingReturn.refresh',
        data: { reviewId: review.id, agencyId: 'police' },
      },
      userIds: [
        ...review.agencies[1].representatives.map((p) => `29:sample-${p.aadObjectId}`),
        `29:sample-${review.openedBy.aadObjectId}`,
      ],
    });
  });

  it('marks a return still requested after its due date as overdue', () => {
    const card = scopingRequestCard(review, 'school', england, {
      today: galleryToday,
      refreshUserIds: { representatives: [], businessUnit: [] },
    });
    expect(JSON.stringify(card)).toContain(
      "Oakfield Sample Primary School's return was due Wed 30 Dec 2026.",
    );
  });

  it('gives at most 60 people their own view, representatives first', () => {
    const reps = Array.from({ length: 70 }, (_, i) => `29:rep-${i}`);
    const card = scopingRequestCard(review, 'police', england, {
      today: galleryToday,
      refreshUserIds: { representatives: reps, businessUnit: ['29:bu'] },
    });
    const userIds = (card.refresh as { userIds: string[] }).userIds;
    expect(userIds).toHaveLength(maxRefreshUserIds);
    expect(userIds).toEqual(reps.slice(0, maxRefreshUserIds));
  });
});

describe('helpCard', () => {
  it('shows each command given, with who may use it where not everyone may, and how to address the bot in a channel', () => {
    const commands = [
      { command: 'quorum', summary: 'Who is present.', who: '' },
      { command: 'outcome', summary: 'Record the decision.', who: 'chair' },
    ];
    const text = JSON.stringify(helpCard('meeting-chat', commands));
    expect(text).toContain('**quorum**');
    expect(text).toContain('**outcome** · chair');
    expect(text).toContain('Mention the bot');
    expect(JSON.stringify(helpCard('personal', commands))).toContain('Type a command');
  });
});

describe('alertCard', () => {
  it('mentions people by AAD object id, or by email when that is all there is', () => {
    const card = alertCard({
      review: { reference: 'RR-2026-009', pseudonym: 'Child D' },
      text: 'The review meeting is tomorrow.',
      mentions: [
        { name: 'Sam Specimen', aadObjectId: 'aad-1' },
        { name: 'Robin Placeholder', email: 'robin@la.example.org' },
        { name: 'Nobody Known' },
      ],
    });
    expect((card.msteams as { entities: unknown[] }).entities).toEqual([
      { type: 'mention', text: '<at>Sam Specimen</at>', mentioned: { id: 'aad-1', name: 'Sam Specimen' } },
      {
        type: 'mention',
        text: '<at>Robin Placeholder</at>',
        mentioned: { id: 'robin@la.example.org', name: 'Robin Placeholder' },
      },
    ]);
    expect(JSON.stringify(card.body)).toContain(
      '<at>Sam Specimen</at>, <at>Robin Placeholder</at>, Nobody Known',
    );
    expect(schemaErrors(card)).toEqual([]);
  });
});
