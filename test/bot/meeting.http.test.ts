/**
 * The review meeting over HTTP, as Teams would drive it: the business unit books it inside the
 * statutory window from free/busy, the bot joins the meeting chat, the chair confirms quorum from the
 * live join/leave events (when the registration subscribes to them) or by asking Teams, attendance
 * is reconciled after the end, and the outcome, sign-offs and the
 * report follow. Graph is the local sandbox (which checks every body against Graph's metadata).
 */
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { fixedClock, people, startHarness, type Harness } from './harness';
import {
  actionData,
  askForMeeting,
  bookProposedMeeting,
  busyDay,
  channelOf,
  invokeCard,
  meetingChatOf,
  meetingOrganizer,
  openReview,
  postsIn,
  refusedGraphRequests,
  reload,
  replyTo,
  teamsAppId,
  textOf,
  useMeetingSettings,
} from './meetingFixture';
import { postMeetingProposal } from '../../bot/flows/meetingBooking';
import type { Review } from '../../review/model';

const childName = 'Zebedee Quartermaine';

// A whole meeting story over HTTP takes seconds, more on a busy machine.
jest.setTimeout(20_000);

describe('the review meeting, end to end over HTTP', () => {
  let h: Harness;
  let clock: ReturnType<typeof fixedClock>;
  let reportsDir: string;

  beforeEach(async () => {
    clock = fixedClock('2026-12-02T10:00:00.000Z');
    h = await startHarness({ clock });
    ({ reportsDir } = useMeetingSettings(h));
  });

  afterEach(async () => {
    await h.close();
  });

  function events() {
    return h.sandbox.state.events[meetingOrganizer] ?? [];
  }

  it('proposes the earliest time in the window when everyone needed is free, and books exactly one Teams meeting', async () => {
    const review = await openReview(h);
    // Referral Tue 1 Dec 2026: the window is working days 7–13, Thu 10 Dec to Fri 18 Dec.
    h.sandbox.setBusy(people.policeRep.email, [busyDay('2026-12-10')]);
    h.sandbox.setBusy(people.icbRep.email, [busyDay('2026-12-11', '09:00', '12:00')]);

    const proposal = await askForMeeting(h, review);
    expect(textOf(proposal)).toContain('Fri 11 Dec 2026, 12:00–14:00');
    expect(actionData(proposal, 'meeting.accept')).toMatchObject({
      start: '2026-12-11T12:00:00.000Z',
      end: '2026-12-11T14:00:00.000Z',
    });
    expect(textOf(proposal)).not.toContain(childName);

    const accepted = await h.client.act(
      people.officer,
      'meeting.accept',
      actionData(proposal, 'meeting.accept') ?? {},
      channelOf(review),
    );
    expect(accepted.status).toBe(200);
    await h.app.idle();

    expect(events()).toHaveLength(1);
    const [event] = events();
    expect(event).toMatchObject({
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      subject: 'Rapid Review meeting RR-2026-001',
    });
    expect(event.transactionId).toEqual(expect.any(String));
    expect(event.attendees.map((a) => a.emailAddress.address)).toEqual(
      expect.arrayContaining([
        people.laRep.email,
        people.policeRep.email,
        people.icbRep.email,
        people.chair.email,
      ]),
    );

    const booked = await reload(h, review);
    expect(booked.state).toBe('meeting-booked');
    expect(booked.meeting).toMatchObject({
      status: 'booked',
      start: '2026-12-11T12:00:00.000Z',
      transactionId: event.transactionId,
      chair: { email: people.chair.email },
    });
    // The bot is in the meeting chat, where the quorum check happens.
    const chatId = booked.meeting?.chatId as string;
    expect(h.sandbox.state.installedApps[chatId]?.map((a) => a.teamsAppId)).toEqual([teamsAppId]);
    const meetingCards = postsIn(h, review.teamspace.channelId as string).filter((a) =>
      textOf(a.activity).includes('Review meeting booked'),
    );
    expect(meetingCards).toHaveLength(1);
    expect(textOf(meetingCards[0].activity)).toContain(booked.meeting?.joinUrl as string);

    // A second press (or a retry) books nothing more.
    await h.client.act(
      people.officer,
      'meeting.accept',
      actionData(proposal, 'meeting.accept') ?? {},
      channelOf(review),
    );
    await h.app.idle();
    expect(events()).toHaveLength(1);
    expect((await reload(h, review)).version).toBe(booked.version);
    expect(refusedGraphRequests(h)).toEqual([]);
  });

  it('keeps the attempt’s transactionId, so a retry after a lost answer books no second event', async () => {
    const review = await openReview(h);
    const proposal = await askForMeeting(h, review);
    const accept = actionData(proposal, 'meeting.accept') ?? {};
    // Graph is unavailable for the first attempt, beyond the client's own retries.
    h.sandbox.injectFaults(
      { method: 'POST', path: /\/events$/ },
      Array.from({ length: 6 }, () => ({ status: 503, retryAfterSeconds: 0 })),
    );
    const mark = h.connector.activities.length;
    await h.client.act(people.officer, 'meeting.accept', accept, channelOf(review));
    await h.app.idle();
    const attempt = await reload(h, review);
    expect(attempt.meeting).toMatchObject({ status: 'proposed', start: accept.start });
    const transactionId = attempt.meeting?.transactionId as string;
    expect(transactionId).toEqual(expect.any(String));
    expect(textOf(postsIn(h, review.teamspace.channelId as string, mark))).toMatch(/did not finish/);

    // Suppose Graph had in fact created the event and only its answer was lost.
    const created = await fetch(`${h.sandbox.url}/users/${meetingOrganizer}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        subject: 'Rapid Review meeting RR-2026-001',
        start: { dateTime: String(accept.start).slice(0, 19), timeZone: 'UTC' },
        end: { dateTime: String(accept.end).slice(0, 19), timeZone: 'UTC' },
        isOnlineMeeting: true,
        onlineMeetingProvider: 'teamsForBusiness',
        transactionId,
      }),
    });
    expect(created.status).toBe(201);

    await h.client.act(people.officer, 'meeting.accept', accept, channelOf(review));
    await h.app.idle();
    expect(events()).toHaveLength(1);
    expect((await reload(h, review)).meeting).toMatchObject({
      status: 'booked',
      transactionId,
      eventId: events()[0].id,
    });
  });

  it('can post the proposal into the review channel unasked, once the scoping requests are out', async () => {
    const review = await openReview(h);
    const mark = h.connector.activities.length;
    expect(await postMeetingProposal(h.app.deps, review.id)).toBe(true);
    const posted = postsIn(h, review.teamspace.channelId as string, mark);
    expect(posted).toHaveLength(1);
    expect(actionData(posted[0].activity, 'meeting.accept')).toMatchObject({
      start: '2026-12-10T09:30:00.000Z',
    });
    expect(events()).toHaveLength(0);
  });

  it('says who blocks every time when no slot in the window suits everyone', async () => {
    const review = await openReview(h);
    const windowDays = ['10', '11', '14', '15', '16', '17', '18'].map((d) => busyDay(`2026-12-${d}`));
    h.sandbox.setBusy(people.policeRep.email, windowDays);

    const reply = await askForMeeting(h, review);
    const text = textOf(reply);
    expect(text).toMatch(/No 120-minute slot/);
    expect(text).toContain(people.policeRep.name);
    expect(text).toContain('Police');
    expect(text).not.toContain(people.laRep.name);
    expect(events()).toHaveLength(0);
    expect(refusedGraphRequests(h)).toEqual([]);
  });

  it('says plainly when the calendars cannot be read, books nothing, and proposes once Graph answers', async () => {
    const review = await openReview(h);
    h.sandbox.setFaultPolicy((request) =>
      request.path.includes('getSchedule') ? { status: 500 } : undefined,
    );
    const text = textOf(await askForMeeting(h, review));
    expect(text).toContain('the calendars could not be read just now');
    expect(events()).toHaveLength(0);
    expect((await h.app.deps.store.getReview(review.id))?.meeting).toBeUndefined();

    h.sandbox.setFaultPolicy(undefined);
    expect(textOf(await askForMeeting(h, review))).not.toContain('could not be read');
  });

  it('refuses a booking from someone outside the business unit, and audits it', async () => {
    const review = await openReview(h);
    const proposal = await askForMeeting(h, review);
    const result = await h.client.act(
      people.policeRep,
      'meeting.accept',
      actionData(proposal, 'meeting.accept') ?? {},
      channelOf(review),
    );
    expect(textOf(invokeCard(result))).toContain('only the business unit books the meeting');
    expect(events()).toHaveLength(0);
    expect((await h.app.deps.store.auditTrail(review.id)).at(-1)).toMatchObject({
      action: 'meeting.booked.refused',
    });
  });

  describe('in the meeting', () => {
    let review: Review;
    let chat: ReturnType<typeof meetingChatOf>;

    async function quorumCheck() {
      const mark = h.connector.activities.length;
      await h.client.say(people.chair, 'quorum', chat);
      return textOf(replyTo(h, mark));
    }

    async function start() {
      clock.set('2026-12-11T12:00:00.000Z');
      const joinUrl = review.meeting?.joinUrl as string;
      await h.client.meetingEvent('start', chat, { joinUrl, organizer: people.officer });
    }

    async function join(at: string, ...who: (typeof people)[keyof typeof people][]) {
      clock.set(at);
      await h.client.participants('join', chat, who, people.officer);
    }

    beforeEach(async () => {
      const opened = await openReview(h);
      h.sandbox.setBusy(people.policeRep.email, [busyDay('2026-12-10')]);
      h.sandbox.setBusy(people.icbRep.email, [busyDay('2026-12-11', '09:00', '12:00')]);
      review = await bookProposedMeeting(h, opened);
      chat = meetingChatOf(review);
    });

    it('confirms quorum only when each statutory partner is present, and only from the chair', async () => {
      // Seeing someone who is not on the register needs their join event: the registration subscribes
      // to meeting participant events, as the deploy guide sets it up.
      h.client.meetingParticipantEventsSubscribed = true;
      await start();
      await join('2026-12-11T12:01:00.000Z', people.laRep, people.policeRep, people.chair, people.outsider);

      const before = await quorumCheck();
      expect(before).toContain('The rule is not met: missing Integrated Care Board');
      expect(before).toContain(people.outsider.name); // present but not on the register

      const tooEarly = await h.client.act(people.chair, 'quorum.confirm', { reviewId: review.id }, chat);
      expect(textOf(invokeCard(tooEarly))).toContain('nobody for Integrated Care Board');

      // The ICB's representative joins late.
      await join('2026-12-11T12:20:00.000Z', people.icbRep);
      const after = await quorumCheck();
      expect(after).toContain('The rule is met');

      const versionBefore = (await reload(h, review)).version;
      const notChair = await h.client.act(people.officer, 'quorum.confirm', { reviewId: review.id }, chat);
      expect(textOf(invokeCard(notChair))).toContain(
        'only the chair of the review meeting can confirm quorum',
      );
      const unchanged = await reload(h, review);
      expect(unchanged.quorumDecision).toBeUndefined();
      expect(unchanged.version).toBe(versionBefore);
      expect((await h.app.deps.store.auditTrail(review.id)).at(-1)).toMatchObject({
        action: 'quorum.decided.refused',
        actor: { aadObjectId: people.officer.aadObjectId },
      });

      const channelMark = h.connector.activities.length;
      const confirmed = await h.client.act(people.chair, 'quorum.confirm', { reviewId: review.id }, chat);
      expect(textOf(invokeCard(confirmed))).toContain('Quorate');
      const decided = await reload(h, review);
      expect(decided.quorumDecision).toMatchObject({
        quorate: true,
        decidedBy: { aadObjectId: people.chair.aadObjectId },
        missing: [],
      });
      const posted = postsIn(h, review.teamspace.channelId as string, channelMark).map((a) =>
        textOf(a.activity),
      );
      expect(posted.join('\n')).toContain(people.icbRep.name);
      expect(posted.join('\n')).toMatch(/Quorate: the meeting can decide the outcome/);
    });

    it('asks Teams about a representative who joined before the bot was in the meeting chat', async () => {
      // The police representative has used the bot before, so it knows their Teams identity.
      await h.client.say(people.policeRep, 'status', channelOf(review));
      await start();
      await join('2026-12-11T12:01:00.000Z', people.laRep, people.icbRep, people.chair);
      expect(await quorumCheck()).toContain('missing Police');

      // They were in the meeting all along: no join event reached the bot.
      h.connector.setInMeeting(chat.meetingId, people.policeRep.aadObjectId, true);
      const after = await quorumCheck();
      expect(after).toContain('The rule is met');
      expect(after).toContain(`Present: ${people.policeRep.name}`);
    });

    it('records a meeting the chair finds not quorate, and moves it instead of recording it as held', async () => {
      await start();
      await join('2026-12-11T12:01:00.000Z', people.laRep, people.chair);
      expect(await quorumCheck()).toContain('missing Police, Integrated Care Board');
      await h.client.act(people.chair, 'quorum.notQuorate', { reviewId: review.id }, chat);
      expect((await reload(h, review)).quorumDecision).toMatchObject({
        quorate: false,
        missing: ['police', 'icb'],
      });

      clock.set('2026-12-11T12:30:00.000Z');
      const mark = h.connector.activities.length;
      await h.client.meetingEvent('end', chat, {
        joinUrl: review.meeting?.joinUrl as string,
        organizer: people.officer,
      });
      await h.app.idle();
      const ended = await reload(h, review);
      expect(ended.state).toBe('meeting-booked');
      expect(ended.anchors.meetingHeld).toBeUndefined();
      expect(textOf(postsIn(h, review.teamspace.channelId as string, mark))).toMatch(/ended without quorum/);

      // The business unit moves the same booking to another time: still one event, new time, fresh session.
      const proposal = await askForMeeting(h, ended);
      const pick = actionData(proposal, 'meeting.pick');
      const slot = '2026-12-14T09:30:00.000Z/2026-12-14T11:30:00.000Z';
      expect(textOf(proposal)).toContain(slot);
      await h.client.act(people.officer, 'meeting.pick', { ...pick, slot }, channelOf(review));
      await h.app.idle();
      const moved = await reload(h, review);
      expect(moved.meeting).toMatchObject({ status: 'booked', start: '2026-12-14T09:30:00.000Z' });
      expect(moved.quorumDecision).toBeUndefined();
      expect(moved.meeting?.live).toBeUndefined();
      expect(events()).toHaveLength(1);
      expect(events()[0].start.dateTime).toMatch(/^2026-12-14T09:30/);
      expect(refusedGraphRequests(h)).toEqual([]);
    });

    it('reconciles attendance after the end: a partner below the minimum and an unknown attendee', async () => {
      // The police representative's leave reaches the live view only as an event.
      h.client.meetingParticipantEventsSubscribed = true;
      await start();
      await join('2026-12-11T12:00:00.000Z', people.laRep, people.policeRep, people.icbRep, people.chair);
      await h.client.act(people.chair, 'quorum.confirm', { reviewId: review.id }, chat);
      clock.set('2026-12-11T12:20:00.000Z');
      await h.client.participants('leave', chat, [people.policeRep], people.officer);

      const span = (from: string, to: string) => ({
        joinDateTime: `2026-12-11T${from}:00Z`,
        leaveDateTime: `2026-12-11T${to}:00Z`,
      });
      const record = (who: (typeof people)[keyof typeof people], from: string, to: string) => ({
        emailAddress: who.email,
        identity: { id: who.aadObjectId, displayName: who.name },
        attendanceIntervals: [span(from, to)],
      });
      h.sandbox.addAttendanceReport(review.meeting?.joinUrl as string, [
        record(people.laRep, '12:00', '14:00'),
        record(people.policeRep, '12:00', '12:20'),
        record(people.icbRep, '12:00', '14:00'),
        record(people.chair, '12:00', '14:00'),
        {
          emailAddress: 'ursula.unknown@elsewhere.example',
          identity: { id: 'b0b0b0b0-0000-4000-8000-000000000099', displayName: 'Ursula Unknown' },
          attendanceIntervals: [span('12:10', '13:00')],
        },
      ]);

      clock.set('2026-12-11T14:00:00.000Z');
      const mark = h.connector.activities.length;
      await h.client.meetingEvent('end', chat, {
        joinUrl: review.meeting?.joinUrl as string,
        organizer: people.officer,
      });
      await h.app.idle();
      // Teams has not produced the report yet: nothing is reconciled, nothing claimed.
      expect((await reload(h, review)).attendance).toBeUndefined();
      clock.set('2026-12-11T14:10:00.000Z');
      expect((await h.app.runUpkeep?.())?.reconciled).toEqual([review.reference]);
      await h.app.idle();

      const held = await reload(h, review);
      expect(held.state).toBe('meeting-held');
      expect(held.anchors.meetingHeld).toBe('2026-12-11');
      const police = held.agencies.find((a) => a.kind === 'police')?.id;
      expect(held.attendance?.find((e) => e.person.name === people.policeRep.name)).toMatchObject({
        agencyId: police,
        seconds: 20 * 60,
        belowMinimum: true,
      });
      const unknown = held.attendance?.find((e) => e.person.name === 'Ursula Unknown');
      expect(unknown).toMatchObject({ seconds: 50 * 60 });
      expect(unknown?.agencyId).toBeUndefined();

      const summary = textOf(postsIn(h, review.teamspace.channelId as string, mark));
      expect(summary).toMatch(/Pete Constable \(20 min\)[^"]*below the 30-minute minimum/);
      expect(summary).toMatch(/Not on the register of representatives[^"]*Ursula Unknown \(50 min\)/);
      expect(summary).not.toContain(childName);
      expect(refusedGraphRequests(h)).toEqual([]);
    });

    it('records the outcome, takes each partner lead’s sign-off, and writes the report under the pseudonym', async () => {
      await start();
      await join('2026-12-11T12:00:00.000Z', people.laRep, people.policeRep, people.icbRep, people.chair);
      await h.client.act(people.chair, 'quorum.confirm', { reviewId: review.id }, chat);
      clock.set('2026-12-11T14:00:00.000Z');
      await h.client.meetingEvent('end', chat, {
        joinUrl: review.meeting?.joinUrl as string,
        organizer: people.officer,
      });
      await h.app.idle();
      const where = channelOf(review);

      let mark = h.connector.activities.length;
      await h.client.say(people.chair, 'outcome', where);
      const form = replyTo(h, mark);
      const record = actionData(form, 'outcome.record');
      expect(record).toEqual({ reviewId: review.id });

      const missing = await h.client.act(people.chair, 'outcome.record', { ...record, lcspr: 'yes' }, where);
      expect(textOf(invokeCard(missing))).toContain('Required: the Panel reads the rationale');
      expect((await reload(h, review)).outcome).toBeUndefined();

      clock.set('2026-12-14T10:00:00.000Z');
      const values = {
        ...record,
        lcspr: 'yes',
        nationalImportance: 'yes',
        rationale: `Learning about information sharing around Zebedee's care justifies an LCSPR.`,
        immediateActions: 'Safety plan reviewed for the siblings.',
        learning: 'Information sharing after the October visit was slow.',
      };
      mark = h.connector.activities.length;
      await h.client.act(people.chair, 'outcome.record', values, where);
      const decided = await reload(h, review);
      expect(decided.state).toBe('decided');
      expect(decided.outcome).toMatchObject({
        lcspr: 'yes',
        nationalImportance: 'yes',
        recordedBy: { email: people.chair.email },
      });
      const signOffCard = postsIn(h, review.teamspace.channelId as string, mark).find((a) =>
        textOf(a.activity).includes('outcome.signOff'),
      );
      expect(signOffCard).toBeDefined();

      const refused = await h.client.act(
        people.schoolRep,
        'outcome.signOff',
        { reviewId: review.id, agencyKind: 'police' },
        where,
      );
      expect(textOf(invokeCard(refused))).toContain('only the Police partner lead can sign off');
      expect((await reload(h, review)).signOffs).toEqual([]);

      mark = h.connector.activities.length;
      await h.client.say(people.officer, 'endorsed 2026-12-14', where);
      expect(textOf(replyTo(h, mark))).toContain('Endorsement recorded');
      expect((await reload(h, review)).endorsedOn).toBe('2026-12-14');

      mark = h.connector.activities.length;
      for (const [lead, kind] of [
        [people.laRep, 'local-authority'],
        [people.policeRep, 'police'],
        [people.icbRep, 'icb'],
      ] as const) {
        const signed = await h.client.act(
          lead,
          'outcome.signOff',
          { reviewId: review.id, agencyKind: kind },
          where,
        );
        expect(textOf(invokeCard(signed))).toContain(`Signed off by ${lead.name}`);
      }
      await h.app.idle();

      // Written, not sent: nothing is recorded as sent until the business unit says it went.
      const written = await reload(h, review);
      expect(written.state).toBe('signed-off');
      expect(written.anchors.panelSubmitted).toBeUndefined();
      const fileName = 'RR-2026-001-rapid-review-report.docx';
      expect(written.report).toMatchObject({ file: fileName });
      expect(written.report?.missing.length).toBeGreaterThan(0);
      const file = path.join(reportsDir, fileName);
      expect(fs.existsSync(file)).toBe(true);
      const zip = await JSZip.loadAsync(fs.readFileSync(file));
      const document = (await zip.file('word/document.xml')?.async('string')) ?? '';
      expect(document).toContain('Child A');
      expect(document).not.toContain('Zebedee');
      expect(document).not.toContain('Quartermaine');

      const carrier = postsIn(h, review.teamspace.channelId as string, mark).filter((a) =>
        textOf(a.activity).includes(fileName),
      );
      expect(carrier).toHaveLength(1);
      expect(textOf(carrier[0].activity)).not.toContain('Zebedee');
      expect(textOf(carrier[0].activity)).toMatch(/has not been sent to the National Panel/);

      // Refused while a required part is missing; then each part, and the business unit says it went.
      mark = h.connector.activities.length;
      await h.client.say(people.officer, 'report sent 2026-12-14', where);
      expect(textOf(replyTo(h, mark))).toContain('not recorded as sent: the report is missing');
      for (const word of ['summary', 'episodes', 'context']) {
        await h.client.say(people.officer, `report ${word} Text for the ${word}.`, where);
      }
      await h.app.idle();
      mark = h.connector.activities.length;
      await h.client.say(people.officer, 'report sent 2026-12-14', where);
      expect(textOf(replyTo(h, mark))).toMatch(/Panel’s response is expected by/);
      const submitted = await reload(h, review);
      expect(submitted.state).toBe('submitted-to-panel');
      expect(submitted.anchors.panelSubmitted).toBe('2026-12-14');
      expect(submitted.reportSendings?.[0]).toMatchObject({
        on: '2026-12-14',
        by: { email: people.officer.email },
      });

      mark = h.connector.activities.length;
      clock.set('2027-01-08T10:00:00.000Z');
      await h.client.say(people.officer, 'panel response agrees 2027-01-07', where);
      expect(textOf(replyTo(h, mark))).toContain('is recorded');
      expect((await reload(h, review)).state).toBe('panel-responded');
      expect(refusedGraphRequests(h)).toEqual([]);
    });
  });

  it('cancels the meeting (attendees told), and a new booking is a new event', async () => {
    const opened = await openReview(h);
    const review = await bookProposedMeeting(h, opened);
    const mark = h.connector.activities.length;
    await h.client.say(people.officer, 'cancel meeting the chair is unavailable', channelOf(review));
    expect(textOf(replyTo(h, mark))).toContain('cancelled');
    const cancelled = await reload(h, review);
    expect(cancelled.state).toBe('scoping');
    expect(cancelled.meeting?.status).toBe('cancelled');
    expect(events()[0].isCancelled).toBe(true);

    const rebooked = await bookProposedMeeting(h, cancelled);
    expect(events()).toHaveLength(2);
    expect(rebooked.meeting?.transactionId).not.toBe(review.meeting?.transactionId);
    expect(refusedGraphRequests(h)).toEqual([]);
  });
});
