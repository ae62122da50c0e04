/**
 * The Teams handler in-process with botbuilder's TestAdapter: commands by place, the open-review card
 * action, and refusals. Outside systems are in-memory fakes; the store is a real SQLite database.
 */
import { TestAdapter, type Activity } from 'botbuilder';
import { openSqliteStore } from '../../review/sqliteStore';
import { ProfileRegistry } from '../../review/profile';
import type { ChannelSpec, Messenger, OutgoingMessage, Teamspace } from '../../review/ports';
import type { ReviewStore } from '../../review/store';
import { openReviewValues, people } from '../../test/bot/harness';
import { sampleReview } from '../../test/fixtures/sampleReview';
import type { FlowDeps } from '../flows/deps';
import { BackgroundWork } from '../flows/background';
import { silentLogger } from '../log';
import { cardActionRefusal, RapidReviewBot } from './rapidReviewBot';

class RecordingTeams implements Messenger {
  threads: { channelId: string; message: OutgoingMessage }[] = [];
  posts: OutgoingMessage[] = [];
  async startThread(channelId: string, message: OutgoingMessage) {
    this.threads.push({ channelId, message });
    return {
      conversationReference: { conversation: { id: `${channelId};messageid=${this.threads.length}` } },
      activityId: String(this.threads.length),
    };
  }
  async post(_reference: unknown, message: OutgoingMessage) {
    this.posts.push(message);
    return { activityId: `p${this.posts.length}` };
  }
  async update() {}
}

function fakeTeamspace(): Teamspace & { channels: ChannelSpec[] } {
  const channels: ChannelSpec[] = [];
  const unused = async () => {
    throw new Error('not used in this test');
  };
  return {
    channels,
    findChannel: async (_team, name) =>
      channels.some((c) => c.displayName === name) ? { id: `19:${name}` } : undefined,
    createChannel: async (spec) => {
      channels.push(spec);
      return { id: `19:${spec.displayName}@thread.tacv2` };
    },
    resolvePeople: async (emails) =>
      new Map(
        emails.map((email) => [
          email.toLowerCase(),
          { aadObjectId: `oid-${email.toLowerCase()}`, userType: 'Member' as const },
        ]),
      ),
    addTeamMembers: async () => ({ failed: new Map() }),
    enableAppInChannel: async () => undefined,
    addChannelMembers: async () => ({ failed: new Map() }),
    getSchedules: unused,
    createMeeting: unused,
    updateMeeting: unused,
    cancelMeeting: unused,
    findOnlineMeeting: unused,
    attendanceRecords: unused,
    installAppInChat: unused,
  };
}

function from(person: { id: string; aadObjectId: string; name: string }) {
  return { id: person.id, aadObjectId: person.aadObjectId, name: person.name };
}

describe('RapidReviewBot with TestAdapter', () => {
  let store: ReviewStore;
  let teams: RecordingTeams;
  let teamspace: ReturnType<typeof fakeTeamspace>;
  let adapter: TestAdapter;
  let background: BackgroundWork;
  let bot: RapidReviewBot;

  beforeEach(async () => {
    store = openSqliteStore({ memory: true });
    await store.migrate();
    teams = new RecordingTeams();
    teamspace = fakeTeamspace();
    background = new BackgroundWork();
    const deps: FlowDeps = {
      store,
      profiles: new ProfileRegistry(),
      teamspace,
      messenger: teams,
      clock: { now: () => new Date('2026-12-02T10:00:00.000Z') },
      log: silentLogger,
      settings: {
        teamId: 'team-1',
        businessUnitChannelId: '19:business-unit@thread.tacv2',
        defaultProfileId: 'england',
        businessUnit: { aadObjectIds: [people.officer.aadObjectId], emails: [] },
        teamsAppId: 'c0ffee00-0000-4000-8000-00000000a11c',
      },
      background,
    };
    bot = new RapidReviewBot(deps);
    adapter = new TestAdapter(async (context) => bot.run(context), {
      channelId: 'msteams',
      conversation: { id: 'a:personal', conversationType: 'personal', isGroup: false, name: '' },
    } as Partial<Activity> as never);
  });

  afterEach(async () => {
    await background.settled();
    await store.close();
  });

  const cardText = (activity: Partial<Activity>) =>
    JSON.stringify(activity.attachments ?? activity.value ?? activity.text);

  it('answers "open review" from the business unit with the form, suggesting the next reference', async () => {
    await adapter
      .send({ type: 'message', text: 'open review', from: from(people.officer) } as Partial<Activity>)
      .assertReply((reply) => {
        expect(cardText(reply)).toContain('RR-2026-001');
        expect(cardText(reply)).toContain('review.open');
      });
  });

  it('refuses the form to someone outside the business unit', async () => {
    await adapter
      .send({ type: 'message', text: 'open review', from: from(people.policeRep) } as Partial<Activity>)
      .assertReply((reply) => expect(cardText(reply)).toContain('Only the safeguarding partnership'));
  });

  it('opens a review from the card action and sets up its channel and cards', async () => {
    await adapter
      .send({
        type: 'invoke',
        name: 'adaptiveCard/action',
        from: from(people.officer),
        value: { action: { type: 'Action.Execute', verb: 'review.open', data: openReviewValues() } },
      } as Partial<Activity>)
      .assertReply((reply) => {
        expect(reply.type).toBe('invokeResponse');
        expect(JSON.stringify(reply.value)).toContain('is opened');
      });
    await background.settled();
    // Teams adds the bot to the new private channel once the app is enabled there, and says so.
    await adapter.send({
      type: 'conversationUpdate',
      from: from(people.officer),
      recipient: { id: 'bot', name: 'Rapid Review' },
      conversation: { id: '19:RR-2026-001@thread.tacv2', conversationType: 'channel', isGroup: true },
      membersAdded: [{ id: 'bot', name: 'Rapid Review' }],
      channelData: {
        eventType: 'channelMemberAdded',
        team: { id: '19:team@thread.tacv2', aadGroupId: 'team-1' },
        channel: { id: '19:RR-2026-001@thread.tacv2' },
      },
    } as Partial<Activity>);
    await background.settled();
    const review = await store.findByReference('RR-2026-001');
    expect(review?.state).toBe('scoping');
    expect(teamspace.channels.map((c) => [c.displayName, c.membershipType])).toEqual([
      ['RR-2026-001', 'private'],
    ]);
    expect(teams.threads).toHaveLength(5);
    expect(teams.posts.map((p) => p.text)).toEqual([expect.stringContaining('RR-2026-001 is ready')]);
  });

  it('shows the form again with the field problems and saves nothing when the form is invalid', async () => {
    await adapter
      .send({
        type: 'invoke',
        name: 'adaptiveCard/action',
        from: from(people.officer),
        value: {
          action: {
            type: 'Action.Execute',
            verb: 'review.open',
            data: openReviewValues({ reference: 'Jane Doe', referral: '' }),
          },
        },
      } as Partial<Activity>)
      .assertReply((reply) => {
        const text = JSON.stringify(reply.value);
        expect(text).toContain('Please correct');
        expect(text).toContain('RR-2026-003');
      });
    expect(await store.listReviews()).toEqual([]);
    expect(teamspace.channels).toEqual([]);
  });

  it('answers "status" in a review meeting’s chat with that review’s status, and lists it in the chat’s help', async () => {
    const review = sampleReview({
      meeting: {
        status: 'booked',
        start: '2026-12-09T10:00:00.000Z',
        end: '2026-12-09T11:30:00.000Z',
        transactionId: 'tx-1',
        chatId: '19:meeting_abc@thread.v2',
      },
    });
    await store.createReview(review, []);
    const inMeetingChat = {
      type: 'message',
      from: from(people.policeRep),
      recipient: { id: 'bot', name: 'Rapid Review' },
      conversation: {
        id: '19:meeting_abc@thread.v2',
        conversationType: 'groupChat',
        isGroup: true,
        name: '',
      },
      channelData: { meeting: { id: 'meeting-1' }, tenant: { id: 'tenant-1' } },
      entities: [
        { type: 'mention', mentioned: { id: 'bot', name: 'Rapid Review' }, text: '<at>Rapid Review</at>' },
      ],
    };
    // An adapter whose template does not overwrite the conversation with the personal chat.
    const meetingAdapter = new TestAdapter(async (context) => bot.run(context), {
      channelId: 'msteams',
    } as Partial<Activity> as never);
    await meetingAdapter
      .send({ ...inMeetingChat, text: '<at>Rapid Review</at> status' } as Partial<Activity>)
      .assertReply((reply) => {
        expect(cardText(reply)).toContain(review.reference);
        expect(cardText(reply)).not.toContain('What you can ask');
        expect(cardText(reply)).not.toContain('Fictional-Testchild');
      });
    await meetingAdapter
      .send({ ...inMeetingChat, text: '<at>Rapid Review</at> help' } as Partial<Activity>)
      .assertReply((reply) => {
        expect(cardText(reply)).toContain('**status**');
        expect(cardText(reply)).toContain('**outcome** · chair');
      });
  });

  it('answers help with what can be asked in a 1:1 chat', async () => {
    await adapter
      .send({ type: 'message', text: 'help', from: from(people.policeRep) } as Partial<Activity>)
      .assertReply((reply) => expect(cardText(reply)).toContain('status'));
  });
});

describe('cardActionRefusal', () => {
  it('refuses a scoping card naming its agency with a NUL before any store reads it', () => {
    // PostgreSQL cannot even look such an id up: the turn failed there (found by test/security/formPayloads).
    const place = { kind: 'review-channel', reviewId: 'r-1' } as const;
    expect(
      cardActionRefusal('scopingReturn.submit', { reviewId: 'r-1', agencyId: 'police\u0000' }, place),
    ).toEqual({ code: 'bad-agency-id', reason: 'The card did not say which agency this is.' });
    expect(cardActionRefusal('scopingReturn.submit', { reviewId: 'r-1', agencyId: 'police' }, place)).toBe(
      undefined,
    );
  });
});
