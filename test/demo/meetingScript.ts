/**
 * The second half of the demo: the review meeting, played through the Teams client against the real
 * bot. The business unit books it from free/busy in the window, the bot joins the meeting chat, people
 * join (one late) and leave, the chair checks and confirms quorum, the meeting ends and attendance is
 * reconciled, the chair records the outcome, the three partner leads sign off and the report is written.
 *
 * The story needs time to pass (the meeting is days after the referral), so the bot's clock is
 * replaced by one this script moves; it is left at the story's end when the script returns.
 */
import path from 'node:path';
import { statutoryMeetingWindow } from '../../scheduler/timeline';
import { fixedClock, people, type Harness } from '../bot/harness';
import {
  actionData,
  busyDay,
  channelOf,
  meetingChatOf,
  postsIn,
  reload,
  replyTo,
  teamsAppId,
} from '../bot/meetingFixture';
import type { RosterMember } from '../teamsClient/fakeConnector';
import { cardOf, type InvokeResult } from '../teamsClient/teamsClient';
import type { Person, Review } from '../../review/model';

export interface MeetingLifecycleResult {
  /** When the meeting was booked to start (ISO instant). */
  meetingStart: string;
  quorate: boolean;
  /** Is an LCSPR needed: 'yes', 'no', 'other-learning-review' or 'no-further-review'. */
  outcome: string;
  /** May the case raise issues of national importance: 'yes' or 'no'. */
  nationalImportance: string;
  /** Whether a person said the report went to the National Panel, who and when; never assumed. */
  reportSent: { sent: boolean; by?: string; on?: string };
  /** Where the Rapid Review report was written ('' when it was not). */
  reportPath: string;
}

/** Each line of text a card shows, in order, from its body. */
function cardLines(card: unknown): string[] {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const item = node as Record<string, unknown>;
    if (item.type === 'TextBlock' && typeof item.text === 'string') texts.push(item.text);
    if (item.type === 'FactSet' && Array.isArray(item.facts)) {
      for (const fact of item.facts as { title?: string; value?: string }[])
        texts.push(`${fact.title}: ${fact.value}`);
    }
    for (const key of ['body', 'items', 'columns']) if (key in item) walk(item[key]);
  };
  walk((card as { body?: unknown })?.body ?? []);
  return texts;
}

/** A card in one line: its heading and the few lines that carry the news. */
function shown(card: unknown, lines = 3): string {
  if (typeof card === 'string') return card;
  const texts = cardLines(card);
  if (texts.length === 0) return '(no card)';
  return texts.slice(0, lines).join(' · ');
}

function posted(h: Harness, review: Review, since: number): string[] {
  return postsIn(h, review.teamspace.channelId as string, since).map((a) => {
    const attachments = a.activity.attachments as { content?: unknown }[] | undefined;
    const text = typeof a.activity.text === 'string' ? a.activity.text : '';
    return attachments?.[0]?.content ? shown(attachments[0].content, 6) : text;
  });
}

function rosterMemberFor(person: Person | undefined): RosterMember | undefined {
  if (!person) return undefined;
  return Object.values(people).find(
    (m) =>
      (person.aadObjectId && m.aadObjectId === person.aadObjectId) ||
      (person.email && m.email.toLowerCase() === person.email.toLowerCase()),
  );
}

function settableClock(h: Harness): { set(iso: string): void } {
  const current = h.app.deps.clock as Partial<ReturnType<typeof fixedClock>>;
  if (typeof current.set === 'function') return current as ReturnType<typeof fixedClock>;
  const clock = fixedClock(h.app.deps.clock.now().toISOString());
  h.app.deps.clock = clock;
  return clock;
}

function minutesAfter(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}

export async function playMeetingLifecycle(ctx: {
  h: Harness;
  reviewId: string;
  transcript: (line: string) => void;
}): Promise<MeetingLifecycleResult> {
  const { h, reviewId } = ctx;
  const say = ctx.transcript;
  const clock = settableClock(h);
  const settings = h.app.deps.settings;
  settings.chair ??= { name: people.chair.name, email: people.chair.email };
  settings.teamsAppId ??= teamsAppId;
  settings.reportsDir ??= path.join(h.dataDir, 'reports');

  let review = await h.app.deps.store.getReview(reviewId);
  if (!review) throw new Error(`review ${reviewId} does not exist`);
  const channel = channelOf(review);
  const card = (result: InvokeResult) => shown(cardOf(result));

  // Calendars: the police representative is out on the first day of the window.
  const windowOpens = statutoryMeetingWindow(review, h.app.deps.profiles.get(review.profileId));
  if (windowOpens.ok) {
    h.sandbox.setBusy(people.policeRep.email, [busyDay(windowOpens.window.from)]);
    say(
      `Calendars: ${people.policeRep.name} is busy all day on ${windowOpens.window.from} (the window opens)`,
    );
  }

  say(`${people.officer.name} in the review channel: @Rapid Review book meeting`);
  let mark = h.connector.activities.length;
  await h.client.say(people.officer, 'book meeting', channel);
  const proposal = replyTo(h, mark);
  say(`  bot: ${shown(proposal, 4)}`);
  const accept = actionData(proposal, 'meeting.accept');
  if (!accept) throw new Error(`no meeting was proposed: ${shown(proposal)}`);

  say(`${people.officer.name} presses "Book the proposed time"`);
  mark = h.connector.activities.length;
  say(`  bot: ${card(await h.client.act(people.officer, 'meeting.accept', accept, channel))}`);
  await h.app.idle();
  for (const line of posted(h, review, mark)) say(`  channel: ${line}`);
  review = await reload(h, review);
  const meeting = review.meeting;
  if (!meeting?.joinUrl || !meeting.chatId) throw new Error('the meeting was not booked with a Teams link');
  const organizer = meeting.organizer ?? '';
  say(
    `  Graph: event in ${organizer}'s calendar (online meeting, transactionId ${meeting.transactionId}); ` +
      `bot installed in the meeting chat: ${String(h.sandbox.state.installedApps[meeting.chatId]?.length === 1)}`,
  );

  const chat = meetingChatOf(review);
  // The partnership subscribed the bot's registration to participant events (docs/deploy.md), so
  // Teams sends joins and leaves; without it the bot asks Teams who is present when quorum is asked.
  h.client.meetingParticipantEventsSubscribed = true;
  const start = meeting.start;
  clock.set(start);
  say(`Teams: the meeting starts (${start})`);
  mark = h.connector.activities.length;
  await h.client.meetingEvent('start', chat, { joinUrl: meeting.joinUrl, organizer: people.officer });
  say(`  bot (meeting chat): ${shown(replyTo(h, mark), 2)}`);

  const join = async (minutes: number, ...who: RosterMember[]) => {
    clock.set(minutesAfter(start, minutes));
    await h.client.participants('join', chat, who, people.officer);
    say(`Teams (+${minutes} min): ${who.map((p) => p.name).join(', ')} joined`);
  };
  const leave = async (minutes: number, ...who: RosterMember[]) => {
    clock.set(minutesAfter(start, minutes));
    await h.client.participants('leave', chat, who, people.officer);
    say(`Teams (+${minutes} min): ${who.map((p) => p.name).join(', ')} left`);
  };
  const quorumCheck = async () => {
    const at = h.connector.activities.length;
    await h.client.say(people.chair, 'quorum', chat);
    say(`${people.chair.name} in the meeting chat: @Rapid Review quorum`);
    say(`  bot: ${shown(replyTo(h, at), 12)}`);
  };

  await join(0, people.laRep, people.policeRep, people.chair, people.officer, people.schoolRep);
  await quorumCheck();
  say(`${people.chair.name} presses "Confirm quorum"`);
  say(`  bot: ${card(await h.client.act(people.chair, 'quorum.confirm', { reviewId }, chat))}`);
  await join(12, people.icbRep);
  await quorumCheck();
  say(`${people.officer.name} (not the chair) presses "Confirm quorum"`);
  say(`  bot: ${card(await h.client.act(people.officer, 'quorum.confirm', { reviewId }, chat))}`);
  say(`${people.chair.name} presses "Confirm quorum"`);
  mark = h.connector.activities.length;
  say(`  bot: ${card(await h.client.act(people.chair, 'quorum.confirm', { reviewId }, chat))}`);
  for (const line of posted(h, review, mark)) say(`  channel: ${line}`);
  await leave(45, people.schoolRep);

  // Teams produces the attendance report once the meeting ends; here it is seeded into the sandbox.
  const end = meeting.end;
  const span = (from: number, to: string) => ({ joinDateTime: minutesAfter(start, from), leaveDateTime: to });
  const record = (who: RosterMember, from: number, to: string) => ({
    emailAddress: who.email,
    identity: { id: who.aadObjectId, displayName: who.name },
    attendanceIntervals: [span(from, to)],
  });
  h.sandbox.addAttendanceReport(meeting.joinUrl, [
    record(people.laRep, 0, end),
    record(people.policeRep, 0, end),
    record(people.chair, 0, end),
    record(people.officer, 0, end),
    record(people.schoolRep, 0, minutesAfter(start, 45)),
    record(people.icbRep, 12, end),
    {
      emailAddress: null,
      identity: { id: 'b0b0b0b0-0000-4000-8000-000000000099', displayName: 'Dial-in caller' },
      attendanceIntervals: [span(20, minutesAfter(start, 50))],
    },
  ]);
  clock.set(end);
  say(`Teams: the meeting ends (${end})`);
  mark = h.connector.activities.length;
  await h.client.meetingEvent('end', chat, { joinUrl: meeting.joinUrl, organizer: people.officer });
  await h.app.idle();
  // Teams writes the attendance report a while after the end; the bot's upkeep looks again.
  const later = minutesAfter(end, 10);
  clock.set(later);
  say(`Teams (${later}): the attendance report is available; the bot's upkeep reads it`);
  await h.app.runUpkeep?.();
  await h.app.idle();
  for (const line of posted(h, review, mark)) say(`  channel: ${line.split('\n').join('\n           ')}`);
  review = await reload(h, review);
  say(`  review: ${review.state}, meeting held on ${review.anchors.meetingHeld ?? '—'}`);

  say(`${people.chair.name} in the review channel: @Rapid Review outcome`);
  mark = h.connector.activities.length;
  await h.client.say(people.chair, 'outcome', channel);
  const form = replyTo(h, mark);
  say(`  bot: ${shown(form, 2)}`);
  const outcomeAction = actionData(form, 'outcome.record') ?? { reviewId };
  clock.set(minutesAfter(end, 60));
  say(`${people.chair.name} submits the outcome: undertake an LCSPR`);
  mark = h.connector.activities.length;
  const outcomeResult = await h.client.act(
    people.chair,
    'outcome.record',
    {
      ...outcomeAction,
      lcspr: 'yes',
      nationalImportance: 'yes',
      rationale:
        'Agencies’ contacts in the autumn were not joined up; the learning is local and significant.',
      immediateActions: 'Safety plan reviewed; the siblings are seen weekly.',
      learning: 'Information sharing after home visits was slow.',
    },
    channel,
  );
  say(`  bot: ${card(outcomeResult)}`);
  for (const line of posted(h, review, mark)) say(`  channel: ${line}`);

  review = await reload(h, review);
  const profile = h.app.deps.profiles.get(review.profileId);
  mark = h.connector.activities.length;
  for (const partner of profile.statutoryPartners) {
    const lead = rosterMemberFor(review.agencies.find((a) => a.kind === partner.kind && a.lead)?.lead);
    if (!lead) {
      say(`  (no lead registered for ${partner.label}: not signed off)`);
      continue;
    }
    say(`${lead.name} (${partner.label} lead) presses "Sign off"`);
    const signed = await h.client.act(
      lead,
      'outcome.signOff',
      { reviewId, agencyKind: partner.kind },
      channel,
    );
    const lines = cardLines(cardOf(signed));
    say(`  bot: ${lines.find((l) => /^Signed off by \d+ of/.test(l)) ?? lines.slice(0, 2).join(' · ')}`);
  }
  await h.app.idle();
  for (const line of posted(h, review, mark)) say(`  channel: ${line}`);

  review = await reload(h, review);
  // The report is written, not sent: the business unit writes the parts only people can, then says it went.
  say(`  review: ${review.state}; report sent: ${review.reportSendings?.length ? 'yes' : 'no'}`);
  mark = h.connector.activities.length;
  say(`${people.officer.name}: report sent (refused while parts are missing)`);
  await h.client.say(people.officer, 'report sent', channel);
  say(`  bot: ${shown(replyTo(h, mark), 2)}`);
  for (const [word, text] of [
    ['summary', 'Summary of the incident as far as the facts can readily be established.'],
    ['episodes', 'Key practice episodes: the autumn home visits and the school referral.'],
    ['context', 'The family’s circumstances and how inequality shaped the practice they received.'],
  ]) {
    mark = h.connector.activities.length;
    say(`${people.officer.name}: report ${word} …`);
    await h.client.say(people.officer, `report ${word} ${text}`, channel);
    say(`  bot: ${shown(replyTo(h, mark), 2)}`);
  }
  await h.app.idle();
  mark = h.connector.activities.length;
  say(`${people.officer.name} sends the report to the National Panel and says so: report sent`);
  await h.client.say(people.officer, 'report sent', channel);
  say(`  bot: ${shown(replyTo(h, mark), 2)}`);
  review = await reload(h, review);
  const sending = review.reportSendings?.at(-1);
  const reportPath = review.panelReportFile
    ? path.join(settings.reportsDir ?? '', review.panelReportFile)
    : '';
  say(`  review: ${review.state}; report ${reportPath || 'not written'}`);
  return {
    meetingStart: start,
    quorate: review.quorumDecision?.quorate ?? false,
    outcome: review.outcome?.lcspr ?? '',
    nationalImportance: review.outcome?.nationalImportance ?? '',
    reportPath,
    reportSent: sending ? { sent: true, by: sending.by.name, on: sending.on } : { sent: false },
  };
}
