/**
 * Generated payloads for every card form (issue 12's security suite), on SQLite and on PostgreSQL:
 * thousands of submissions per form, each a valid form with some of its values replaced by hostile
 * ones (wrong types, objects, arrays, NUL and lone surrogates, huge text, prototype names, Markdown),
 * values left out and keys added (row keys far past the form's rows, `__proto__`, `constructor`).
 * Each payload goes through the bot's own card-action path — the place check and the route table,
 * then the flow with its validation, store and audit — as Teams' invoke would reach it (values as
 * JSON carries them), by the person the card is for, where the card is.
 *
 * For every payload: the bot answers (no crash); what it saved is whole (each review whose version
 * moved has its audit line, no audit line of a change without the change, the directory likewise);
 * a form refused for one replaced value shows the error at that field; an accepted scoping return
 * stores text as text. Figures are printed per form and store.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { routeCardAction } from '../../bot/flows/commands';
import type { CardReply, Place } from '../../bot/flows/replies';
import { actorOf } from '../../bot/flows/deps';
import { refuseCardAction } from '../../bot/flows/refusals';
import { cardActionRefusal } from '../../bot/teams/rapidReviewBot';
import { directoryAuditId } from '../../review/directory';
import type { Person, Review } from '../../review/model';
import { openReviewValues, people, scopingReturnValues, tenantId } from '../bot/harness';
import type { StoreHarness } from '../storeContract';
import { storesUnderTest } from './stores';
import { meetingUnderWay, startMatrixWorld, type MatrixWorld } from './matrixWorld';

/** Payloads per form and store: at least 5,000 for a form a person fills in, fewer for a button. */
const formRuns = 5000;
const buttonRuns = 500;

const hugeText = 'x'.repeat(300_000);

/** What a hostile or careless client can put where the form has text (all of it survives JSON). */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '',
    '   ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfffy',
    '**bold** _it_ [link](https://example.org) <b>x</b>',
    '${reviewId}',
    '__proto__',
    'constructor',
    'toString',
    hugeText,
    '2026-02-30',
    '9999-12-31',
    '0001-01-01',
    'RR-2026-001',
    'true',
    'false',
    'yes',
    'no',
    '-1',
    '1e309',
    'not an email',
    'Name <not-an-email>',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
  fc.constant({ toString: 1 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** Keys a form does not have: rows far past the form's, prototype names, the card's own keys. */
const strangeKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'hasOwnProperty',
    'agency100000Name',
    'agency99999Rep99999Email',
    'family100000Name',
    'verb',
    'action',
  ),
  fc.string({ maxLength: 12 }),
);

interface Plan {
  /** Which of the form's keys get a hostile value (indexes into its keys). */
  replace: [number, unknown][];
  /** Which keys are left out. */
  drop: number[];
  extra: [string, unknown][];
}

const planArbitrary: fc.Arbitrary<Plan> = fc.record({
  replace: fc.array(fc.tuple(fc.nat(), hostileValue), { maxLength: 3 }),
  drop: fc.array(fc.nat(), { maxLength: 2 }),
  extra: fc.array(fc.tuple(strangeKey, hostileValue), { maxLength: 2 }),
});

interface FormCase {
  verb: string;
  runs: number;
  who: (world: MatrixWorld) => Person;
  place: (world: MatrixWorld) => Place;
  /** A valid payload as the card carries it now (read afresh: revisions move as returns are saved). */
  base: (world: MatrixWorld, n: number, plan: Plan) => Promise<Record<string, unknown>>;
  /** Keys a plan never touches (the card's own ids, which the place check covers). */
  fixed?: readonly string[];
  /** Data the card carries that no one fills in (its errors are the form's, not a field's). */
  cardData?: readonly string[];
  /** Brings the review to where the form is used, once before its payloads. */
  before?: (world: MatrixWorld) => Promise<void>;
}

/** The chair confirms quorum in the meeting chat and the meeting ends: the outcome can be recorded. */
async function meetingHeld(world: MatrixWorld): Promise<void> {
  const { h } = world;
  // The meeting as it stands now (meeting.accept and meeting.pick may have moved it): it starts, the
  // statutory partners and the chair join, the chair confirms quorum, and it ends.
  const review = (await h.app.deps.store.getReview(world.reviewA.id)) as Review;
  const chat = await meetingUnderWay(h, world.clock, review);
  const meeting = { joinUrl: String(review.meeting?.joinUrl), organizer: people.officer };
  const place = { kind: 'meeting-chat' as const, meetingId: chat.meetingId };
  const confirmed = await act(
    world,
    people.chair,
    place,
    'quorum.confirm',
    { reviewId: review.id },
    chat.chatId,
  );
  expect(JSON.stringify(confirmed)).toMatch(/quorate/i);
  await h.client.meetingEvent('end', chat, meeting);
  await h.app.idle();
  expect((await world.h.app.deps.store.getReview(world.reviewA.id))?.state).toBe('meeting-held');
}

const reviewChannelOf = (world: MatrixWorld): Place => ({
  kind: 'review-channel',
  reviewId: world.reviewA.id,
});
const personal = (): Place => ({ kind: 'personal' });
const policeOf = (review: Review) => review.agencies.find((a) => a.kind === 'police')?.id ?? '';
const policeRepOf = (review: Review): Person => {
  const rep = review.agencies.find((a) => a.kind === 'police')?.representatives[0];
  if (!rep) throw new Error(`${review.reference} has no police representative`);
  return rep;
};

const forms: FormCase[] = [
  {
    verb: 'review.open',
    runs: formRuns,
    who: () => people.officer,
    place: personal,
    // A plan that changes one value names a new reference (the check of that value's error needs a
    // form valid but for it); the others reuse A's, refused as taken, so few reviews are set up.
    base: async (_world, n, plan) =>
      openReviewValues({
        reference: singleChange(plan) ? `RR-2027-${String(n).padStart(4, '0')}` : 'RR-2026-001',
      }),
  },
  {
    verb: 'scopingReturn.submit',
    runs: formRuns,
    // Review B is still gathering returns (A's meeting has started): its police representative answers.
    who: (world) => policeRepOf(world.reviewB),
    place: (world) => ({ kind: 'review-channel', reviewId: world.reviewB.id }),
    fixed: ['reviewId'],
    cardData: ['revision'],
    base: async (world) => {
      const review = await world.h.app.deps.store.getReview(world.reviewB.id);
      const own = review?.scopingReturns.find((r) => r.agencyId === policeOf(world.reviewB));
      return {
        reviewId: world.reviewB.id,
        agencyId: policeOf(world.reviewB),
        ...scopingReturnValues({ revision: String(own?.revision ?? 0) }),
      };
    },
  },
  {
    verb: 'scopingReturn.refresh',
    runs: buttonRuns,
    who: () => people.policeRep,
    place: reviewChannelOf,
    fixed: ['reviewId'],
    base: async (world) => ({ reviewId: world.reviewA.id, agencyId: policeOf(world.reviewA) }),
  },
  {
    verb: 'directory.saveAgency',
    runs: formRuns,
    who: () => people.officer,
    place: personal,
    base: async () => ({
      name: 'Generated Agency',
      kind: 'police',
      representatives: 'Pete Constable <pete.constable@police.example>',
      lead: 'Pat Lead <pat.lead@police.example>',
    }),
  },
  {
    verb: 'directory.saveChairs',
    runs: formRuns,
    who: () => people.officer,
    place: personal,
    base: async () => ({ chairs: 'Chris Chair <chris.chair@partnership.example>' }),
  },
  {
    verb: 'directory.removeAgency',
    runs: buttonRuns,
    who: () => people.officer,
    place: personal,
    base: async () => ({ agencyId: 'generated-agency' }),
  },
  {
    verb: 'meeting.accept',
    runs: buttonRuns,
    who: () => people.officer,
    place: reviewChannelOf,
    fixed: ['reviewId'],
    base: async (world) => ({ ...world.meetingAccept }),
  },
  {
    verb: 'meeting.pick',
    runs: formRuns,
    who: () => people.officer,
    place: reviewChannelOf,
    fixed: ['reviewId'],
    base: async (world) => ({ ...world.meetingAccept }),
  },
  {
    verb: 'quorum.notQuorate',
    runs: buttonRuns,
    who: () => people.chair,
    place: (world) => ({ kind: 'meeting-chat', meetingId: world.meetingChat.meetingId }),
    fixed: ['reviewId'],
    base: async (world) => ({ reviewId: world.reviewA.id }),
  },
  {
    verb: 'quorum.confirm',
    runs: buttonRuns,
    who: () => people.chair,
    place: (world) => ({ kind: 'meeting-chat', meetingId: world.meetingChat.meetingId }),
    fixed: ['reviewId'],
    base: async (world) => ({ reviewId: world.reviewA.id }),
  },
  {
    verb: 'outcome.record',
    runs: formRuns,
    who: () => people.chair,
    place: reviewChannelOf,
    fixed: ['reviewId'],
    before: meetingHeld,
    base: async (world) => ({
      reviewId: world.reviewA.id,
      lcspr: 'no',
      nationalImportance: 'no',
      rationale: 'Generated rationale',
      immediateActions: 'None',
      learning: 'None identified yet',
    }),
  },
  // Last: once a partner has signed off, the outcome can no longer change.
  {
    verb: 'outcome.signOff',
    runs: buttonRuns,
    who: () => people.policeRep,
    place: reviewChannelOf,
    fixed: ['reviewId'],
    base: async (world) => ({ reviewId: world.reviewA.id, agencyKind: 'police' }),
  },
];

const singleChange = (plan: Plan) => plan.replace.length + plan.drop.length === 1 && plan.extra.length === 0;

/** Applies a plan to a valid payload, then sends it through JSON as Teams would. */
function payloadOf(base: Record<string, unknown>, plan: Plan, fixed: readonly string[]) {
  const keys = Object.keys(base).filter((key) => !fixed.includes(key));
  const payload: Record<string, unknown> = { ...base };
  const replaced = new Map<string, unknown>();
  for (const [index, value] of plan.replace) {
    if (keys.length === 0) break;
    const key = keys[index % keys.length];
    payload[key] = value;
    replaced.set(key, value);
  }
  for (const index of plan.drop) {
    if (keys.length === 0) break;
    const key = keys[index % keys.length];
    delete payload[key];
    replaced.set(key, undefined);
  }
  for (const [key, value] of plan.extra) {
    if (fixed.includes(key) || key in base) continue;
    Object.defineProperty(payload, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return { payload: JSON.parse(JSON.stringify(payload)) as Record<string, unknown>, replaced };
}

/** What the database holds, read raw (another connection): each review's version, the directory's, the audit's end. */
interface Raw {
  versions: Map<string, number>;
  directory: number;
  lastSeq: number;
}

interface RawReader {
  read(): Promise<Raw>;
  linesAfter(seq: number): Promise<{ reviewId: string; action: string }[]>;
  close(): Promise<void>;
}

function sqliteReader(file: string): RawReader {
  const db = new Database(file, { readonly: true });
  return {
    read: async () => ({
      versions: new Map(
        (db.prepare('SELECT id, version FROM reviews').all() as { id: string; version: number }[]).map(
          (row) => [row.id, row.version],
        ),
      ),
      directory:
        (db.prepare('SELECT version FROM partnership_directory').get() as { version: number } | undefined)
          ?.version ?? 0,
      lastSeq: (db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM audit_events').get() as { seq: number })
        .seq,
    }),
    linesAfter: async (seq) =>
      (
        db.prepare('SELECT review_id, action FROM audit_events WHERE seq > ? ORDER BY seq').all(seq) as {
          review_id: string;
          action: string;
        }[]
      ).map((row) => ({ reviewId: row.review_id, action: row.action })),
    close: async () => {
      db.close();
    },
  };
}

function postgresReader(scratch: StoreHarness): RawReader {
  return {
    read: async () => ({
      versions: new Map(
        (await scratch.queryRaw('SELECT id, version FROM reviews')).map((row) => [
          String(row.id),
          Number(row.version),
        ]),
      ),
      directory: Number(
        (await scratch.queryRaw('SELECT version FROM partnership_directory'))[0]?.version ?? 0,
      ),
      lastSeq: Number(
        (await scratch.queryRaw('SELECT COALESCE(MAX(seq), 0) AS seq FROM audit_events'))[0].seq,
      ),
    }),
    linesAfter: async (seq) =>
      (
        await scratch.queryRaw(
          `SELECT review_id, action FROM audit_events WHERE seq > ${Number(seq)} ORDER BY seq`,
        )
      ).map((row) => ({ reviewId: String(row.review_id), action: String(row.action) })),
    close: async () => undefined,
  };
}

/** Where a saved change left the database whole: every change with its audit line, no line without its change. */
function partialWrites(before: Raw, after: Raw, lines: { reviewId: string; action: string }[]): string[] {
  const problems: string[] = [];
  const changes = lines.filter((line) => !line.action.endsWith('.refused'));
  for (const [id, version] of after.versions) {
    const was = before.versions.get(id);
    if (was === undefined) {
      if (!changes.some((line) => line.reviewId === id)) problems.push(`review ${id} created without audit`);
    } else if (version !== was && !changes.some((line) => line.reviewId === id)) {
      problems.push(`review ${id} changed (v${was} → v${version}) without an audit line`);
    }
  }
  for (const line of changes) {
    if (line.reviewId === directoryAuditId) {
      if (after.directory === before.directory) problems.push(`${line.action} audited, directory unchanged`);
    } else if (
      before.versions.has(line.reviewId) &&
      before.versions.get(line.reviewId) === after.versions.get(line.reviewId)
    ) {
      problems.push(`${line.action} audited, review ${line.reviewId} unchanged`);
    }
  }
  if (after.directory !== before.directory && !changes.some((line) => line.reviewId === directoryAuditId)) {
    problems.push('directory changed without an audit line');
  }
  return problems;
}

/** The Input elements of a card with, for each, whether an error text follows it before the next Input. */
function inputsWithErrors(card: unknown): Map<string, boolean> {
  const found = new Map<string, boolean>();
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      let current: string | undefined;
      for (const item of node) {
        const element = item as { type?: unknown; id?: unknown; color?: unknown };
        if (
          typeof element?.type === 'string' &&
          element.type.startsWith('Input.') &&
          typeof element.id === 'string'
        ) {
          current = element.id;
          found.set(current, found.get(current) ?? false);
        } else if (current && element?.type === 'TextBlock' && element.color === 'Attention') {
          found.set(current, true);
        }
        walk(item);
      }
      return;
    }
    for (const value of Object.values(node)) walk(value);
  };
  walk(card);
  return found;
}

/** The error texts a card shows, for the failure message. */
function errorsIn(card: unknown): string {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const element = node as { type?: unknown; color?: unknown; text?: unknown };
    if (element.type === 'TextBlock' && element.color === 'Attention') texts.push(String(element.text));
    for (const value of Object.values(node)) walk(value);
  };
  walk(card);
  return texts.join(' | ').slice(0, 300);
}

const refusedWords =
  /Please correct|refused|not valid|cannot|can no longer|no longer|not one I know|Not removed|needs|must|Must/i;

interface Figures {
  payloads: number;
  answeredWithForm: number;
  fieldErrorsShown: number;
  refusedOtherwise: number;
  saved: number;
  crashes: number;
  partialWrites: number;
  fieldNotNamed: number;
  typeConfusions: number;
}

describe.each(storesUnderTest)('generated payloads for every card form ($name)', ({ name, open }) => {
  let world: MatrixWorld;
  let scratch: StoreHarness | undefined;
  let raw: RawReader;

  beforeAll(async () => {
    scratch = await open?.();
    world = await startMatrixWorld(scratch ? { store: scratch.store } : {});
    const storeConfig = world.h.config.store;
    raw = scratch
      ? postgresReader(scratch)
      : sqliteReader(storeConfig.kind === 'sqlite' ? storeConfig.path : '');
  });

  afterAll(async () => {
    await raw?.close();
    await world?.close();
    await scratch?.cleanup();
  });

  it.each(forms.map((form) => [form.verb, form] as const))('%s', async (_verb, form) => {
    await form.before?.(world);
    const started = Date.now();
    const figures: Figures = {
      payloads: 0,
      answeredWithForm: 0,
      fieldErrorsShown: 0,
      refusedOtherwise: 0,
      saved: 0,
      crashes: 0,
      partialWrites: 0,
      fieldNotNamed: 0,
      typeConfusions: 0,
    };
    const failures: string[] = [];
    let n = 0;
    await fc.assert(
      fc.asyncProperty(planArbitrary, async (plan) => {
        n += 1;
        const base = await form.base(world, n, plan);
        const { payload, replaced } = payloadOf(base, plan, form.fixed ?? []);
        const before = await raw.read();
        let reply: CardReply;
        try {
          reply = await act(world, form.who(world), form.place(world), form.verb, payload);
          // Work the action left for after the reply (a set-up, a move of the meeting) is part of it.
          await world.h.app.idle();
        } catch (error) {
          figures.crashes += 1;
          failures.push(`crash: ${(error as Error).stack ?? String(error)}`);
          return;
        } finally {
          figures.payloads += 1;
        }
        const after = await raw.read();
        const lines = await raw.linesAfter(before.lastSeq);
        const problems = partialWrites(before, after, lines);
        if (problems.length > 0) {
          figures.partialWrites += 1;
          failures.push(`partial write for ${shown(payload)}: ${problems.join('; ')}`);
        }
        const text = JSON.stringify(reply);
        if (!reply.card && !reply.text) failures.push(`no answer for ${shown(payload)}`);
        const savedSomething = lines.some((line) => !line.action.endsWith('.refused'));
        if (savedSomething) figures.saved += 1;
        const inputs = inputsWithErrors(reply.card);
        const fieldErrors = text.includes('Please correct') || [...inputs.values()].some(Boolean);
        if (fieldErrors) {
          figures.fieldErrorsShown += 1;
          // Every error is shown at a field (or in the summary by the field's name).
          const cardDataChanged = (form.cardData ?? []).some((key) => replaced.has(key));
          if (
            !cardDataChanged &&
            ![...inputs.values()].some(Boolean) &&
            !/•\s(?!This form)[^:]+:/.test(errorsIn(reply.card))
          ) {
            figures.fieldNotNamed += 1;
            failures.push(
              `an error at no field: ${errorsIn(reply.card)} — changed ${shown([...replaced.keys(), ...plan.extra.map(([k]) => k)])}`,
            );
          }
          // One value that is no form value at all (an object, a list) refused: the error is at that
          // field. (Text, a number or a toggle may be refused at another field it contradicts, e.g.
          // records not secured but a date they were secured on.)
          if (singleChange(plan)) {
            const [key] = [...replaced.keys()];
            const value = replaced.get(key);
            if (typeof value === 'object' && value !== null && inputs.has(key) && inputs.get(key) !== true) {
              figures.fieldNotNamed += 1;
              failures.push(`no error at ${key} = ${shown(value)}: ${errorsIn(reply.card)}`);
            }
          }
          if (/\[object Object\]|function \w*\(|: undefined/.test(text)) {
            figures.fieldNotNamed += 1;
            failures.push(`an error names no field: ${text.slice(0, 300)}`);
          }
        } else if (reply.card) {
          figures.answeredWithForm += 1;
        } else if (refusedWords.test(text)) {
          figures.refusedOtherwise += 1;
        }
        if (form.verb === 'scopingReturn.submit' && savedSomething) {
          const review = await world.h.app.deps.store.getReview(world.reviewB.id);
          const answers =
            review?.scopingReturns.find((r) => r.agencyId === policeOf(world.reviewB))?.answers ?? {};
          for (const [key, value] of Object.entries(answers)) {
            const sent = payload[key];
            if (typeof value === 'string' && value.includes('[object') && !String(sent).includes('[object')) {
              figures.typeConfusions += 1;
              failures.push(`${key} stored as ${value.slice(0, 40)} from ${shown(sent)}`);
            }
            if (Array.isArray(value) || (value !== null && typeof value === 'object')) {
              figures.typeConfusions += 1;
              failures.push(`${key} stored as a ${Array.isArray(value) ? 'list' : 'object'}`);
            }
          }
        }
      }),
      { numRuns: form.runs, seed: 1226, endOnFailure: true },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `security figures: payloads ${form.verb} (${name}) ${JSON.stringify({ ...figures, seconds: Number(seconds) })}\n`,
    );
    expect(failures.slice(0, 10)).toEqual([]);
    expect(figures.payloads).toBe(form.runs);
  });
});

/** The card action as the bot carries it out for an invoke from `who` in `place`. */
async function act(
  world: MatrixWorld,
  who: Person,
  place: Place,
  verb: string,
  data: Record<string, unknown>,
  chatId = world.meetingChat.chatId,
): Promise<CardReply> {
  const deps = world.h.app.deps;
  const actor = actorOf(deps.settings.businessUnit, { ...who });
  const teamsId = `29:${who.aadObjectId}`;
  const origin = {
    channelId: 'msteams',
    serviceUrl: world.h.connector.url,
    conversation:
      place.kind === 'meeting-chat'
        ? { id: chatId, conversationType: 'groupChat', tenantId }
        : place.kind === 'review-channel'
          ? { id: String(world.reviewA.teamspace.channelId), conversationType: 'channel', tenantId }
          : { id: `a:personal-${teamsId}`, conversationType: 'personal', tenantId },
    user: { id: teamsId, aadObjectId: who.aadObjectId, name: who.name },
    bot: { id: '28:rapid-review', name: 'Rapid Review' },
  };
  const refused = cardActionRefusal(verb, data, place);
  return refused
    ? refuseCardAction(deps, refused, verb, data, actor, place)
    : routeCardAction(deps, verb, data, actor, place, origin);
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
