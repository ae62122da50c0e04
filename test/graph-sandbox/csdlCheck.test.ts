import { CsdlModel, loadGraphCsdl } from './csdlCheck';

const graph = loadGraphCsdl();

const ownerMember = {
  '@odata.type': '#microsoft.graph.aadUserConversationMember',
  'user@odata.bind': "https://graph.microsoft.com/v1.0/users('9f1c0a34-1b8e-4c47-8a0e-3c1d2b4a5e6f')",
  roles: ['owner'],
};

const meeting = {
  subject: 'Rapid review meeting',
  body: { contentType: 'html', content: '<p>Agenda to follow</p>' },
  start: { dateTime: '2026-09-01T10:00:00', timeZone: 'GMT Standard Time' },
  end: { dateTime: '2026-09-01T11:00:00', timeZone: 'GMT Standard Time' },
  attendees: [{ emailAddress: { address: 'rep@police.example', name: 'Police rep' }, type: 'required' }],
  isOnlineMeeting: true,
  onlineMeetingProvider: 'teamsForBusiness',
  transactionId: 'rr-2026-001-meeting',
};

describe('channel bodies', () => {
  it('accepts the body the bot sends to create a private review channel', () => {
    const body = {
      displayName: 'RR-2026-001',
      description: 'Rapid review',
      membershipType: 'private',
      members: [ownerMember],
    };
    expect(graph.checkInstance('microsoft.graph.channel', body)).toBeUndefined();
  });

  it('names an unknown property and the type it is missing from', () => {
    expect(
      graph.checkInstance('microsoft.graph.channel', { displayName: 'RR', visibility: 'private' }),
    ).toEqual({
      target: 'visibility',
      message: "Property 'visibility' does not exist on type 'microsoft.graph.channel'",
    });
  });

  it('rejects a membershipType outside channelMembershipType', () => {
    expect(
      graph.checkInstance('microsoft.graph.channel', { displayName: 'RR', membershipType: 'privet' }),
    ).toEqual({
      target: 'membershipType',
      message: "Value 'privet' is not a member of enum 'microsoft.graph.channelMembershipType'",
    });
  });

  it('rejects null for a property the metadata marks Nullable="false"', () => {
    const problem = graph.checkInstance('microsoft.graph.channel', { displayName: null });
    expect(problem?.target).toBe('displayName');
    expect(problem?.message).toContain('does not allow null values');
  });

  it('accepts properties inherited through BaseType (id comes from entity)', () => {
    expect(graph.checkInstance('microsoft.graph.channel', { id: 'x', displayName: 'RR' })).toBeUndefined();
  });
});

describe('conversation members (abstract type, derived through @odata.type)', () => {
  it('accepts an aadUserConversationMember with user@odata.bind', () => {
    expect(
      graph.checkInstance('microsoft.graph.conversationMember', { ...ownerMember, roles: [] }),
    ).toBeUndefined();
  });

  it('refuses the abstract conversationMember without @odata.type', () => {
    const problem = graph.checkInstance('microsoft.graph.conversationMember', { roles: [] });
    expect(problem?.target).toBe('@odata.type');
    expect(problem?.message).toContain('abstract');
  });

  it('refuses an @odata.type outside the conversationMember hierarchy', () => {
    const problem = graph.checkInstance('microsoft.graph.conversationMember', {
      '@odata.type': '#microsoft.graph.event',
    });
    expect(problem?.message).toBe(
      "The type 'microsoft.graph.event' is not compatible with the expected type 'microsoft.graph.conversationMember'",
    );
  });

  it('refuses @odata.bind on a navigation property the type does not have', () => {
    const problem = graph.checkInstance('microsoft.graph.conversationMember', {
      '@odata.type': '#microsoft.graph.aadUserConversationMember',
      'person@odata.bind': "https://graph.microsoft.com/v1.0/users('x')",
    });
    expect(problem).toEqual({
      target: 'person@odata.bind',
      message: "Property 'person' does not exist on type 'microsoft.graph.aadUserConversationMember'",
    });
  });

  it('refuses @odata.bind on a structural property', () => {
    const problem = graph.checkInstance('microsoft.graph.conversationMember', {
      '@odata.type': '#microsoft.graph.aadUserConversationMember',
      'userId@odata.bind': "https://graph.microsoft.com/v1.0/users('x')",
    });
    expect(problem?.message).toContain('is not a navigation property');
  });

  it('checks members inlined in a channel create (deep insert) as their derived type', () => {
    const problem = graph.checkInstance('microsoft.graph.channel', {
      displayName: 'RR',
      members: [{ ...ownerMember, role: 'owner' }],
    });
    expect(problem).toEqual({
      target: 'members[0].role',
      message: "Property 'role' does not exist on type 'microsoft.graph.aadUserConversationMember'",
    });
  });
});

describe('event bodies (nested complex types)', () => {
  it('accepts the online meeting the bot books', () => {
    expect(graph.checkInstance('microsoft.graph.event', meeting)).toBeUndefined();
  });

  it('finds an unknown property on an attendee inside Collection(attendee)', () => {
    const body = {
      ...meeting,
      attendees: [meeting.attendees[0], { emailAddress: { address: 'a@b.c' }, agency: 'x' }],
    };
    expect(graph.checkInstance('microsoft.graph.event', body)).toEqual({
      target: 'attendees[1].agency',
      message: "Property 'agency' does not exist on type 'microsoft.graph.attendee'",
    });
  });

  it('walks attendee -> attendeeBase -> recipient -> emailAddress', () => {
    const body = { ...meeting, attendees: [{ emailAddress: { address: 'a@b.c', organisation: 'x' } }] };
    expect(graph.checkInstance('microsoft.graph.event', body)?.message).toBe(
      "Property 'organisation' does not exist on type 'microsoft.graph.emailAddress'",
    );
  });

  it('checks enums declared on a base type (attendeeBase.type)', () => {
    const body = { ...meeting, attendees: [{ emailAddress: { address: 'a@b.c' }, type: 'mandatory' }] };
    expect(graph.checkInstance('microsoft.graph.event', body)).toEqual({
      target: 'attendees[0].type',
      message: "Value 'mandatory' is not a member of enum 'microsoft.graph.attendeeType'",
    });
  });

  it('checks dateTimeTimeZone inside start', () => {
    const body = { ...meeting, start: { dateTime: '2026-09-01T10:00:00', timezone: 'UTC' } };
    expect(graph.checkInstance('microsoft.graph.event', body)?.message).toBe(
      "Property 'timezone' does not exist on type 'microsoft.graph.dateTimeTimeZone'",
    );
  });

  it('checks primitive kinds', () => {
    expect(
      graph.checkInstance('microsoft.graph.event', { ...meeting, isOnlineMeeting: 'yes' })?.message,
    ).toBe("Cannot convert the literal 'yes' to the expected type 'Edm.Boolean'");
    expect(graph.checkInstance('microsoft.graph.event', { reminderMinutesBeforeStart: 1.5 })?.target).toBe(
      'reminderMinutesBeforeStart',
    );
  });

  it('wants an array for a collection property', () => {
    const problem = graph.checkInstance('microsoft.graph.event', {
      ...meeting,
      attendees: meeting.attendees[0],
    });
    expect(problem?.message).toContain('A collection was expected');
  });

  it('treats event as closed although the metadata marks it OpenType, unless told otherwise', () => {
    const body = { ...meeting, reviewId: 'RR-1' };
    expect(graph.checkInstance('microsoft.graph.event', body)?.message).toBe(
      "Property 'reviewId' does not exist on type 'microsoft.graph.event'",
    );
    expect(graph.checkInstance('microsoft.graph.event', body, { closedTypes: new Set() })).toBeUndefined();
  });

  it('honours OpenType on other types (identity carries tenantId in attendance records)', () => {
    const record = {
      identity: { id: 'u1', displayName: 'Rep', tenantId: 't1' },
      emailAddress: 'rep@police.example',
      role: 'Attendee',
      totalAttendanceInSeconds: 600,
      attendanceIntervals: [
        {
          joinDateTime: '2026-09-01T10:00:00Z',
          leaveDateTime: '2026-09-01T10:10:00Z',
          durationInSeconds: 600,
        },
      ],
    };
    expect(graph.checkInstance('microsoft.graph.attendanceRecord', record)).toBeUndefined();
  });
});

describe('action bodies', () => {
  const schedule = {
    schedules: ['rep@police.example'],
    startTime: { dateTime: '2026-09-01T08:00:00', timeZone: 'UTC' },
    endTime: { dateTime: '2026-09-01T18:00:00', timeZone: 'UTC' },
    availabilityViewInterval: 30,
  };

  it('matches getSchedule parameters without regard to case (metadata says StartTime)', () => {
    expect(
      graph.checkActionBody('microsoft.graph.getSchedule', 'microsoft.graph.calendar', schedule),
    ).toBeUndefined();
  });

  it('rejects an unknown action parameter', () => {
    const problem = graph.checkActionBody('microsoft.graph.getSchedule', 'microsoft.graph.calendar', {
      ...schedule,
      attendees: [],
    });
    expect(problem?.message).toBe(
      "The parameter 'attendees' in the request payload is not a valid parameter for the operation 'getSchedule'",
    );
  });

  it('checks complex parameter values', () => {
    const problem = graph.checkActionBody('microsoft.graph.getSchedule', 'microsoft.graph.calendar', {
      ...schedule,
      endTime: '2026-09-01T18:00:00Z',
    });
    expect(problem?.target).toBe('endTime');
  });

  it('picks the overload by binding type (event.cancel takes a Comment)', () => {
    expect(
      graph.checkActionBody('microsoft.graph.cancel', 'microsoft.graph.event', { comment: 'Moved' }),
    ).toBeUndefined();
    expect(
      graph.checkActionBody('microsoft.graph.cancel', 'microsoft.graph.event', { cancellationMessage: 'x' })
        ?.target,
    ).toBe('cancellationMessage');
  });
});

describe('CsdlModel.fromXml', () => {
  const xml = `<?xml version="1.0"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="example.ns" Alias="ex" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EnumType Name="reactions" IsFlags="true"><Member Name="like" Value="1"/><Member Name="heart" Value="2"/></EnumType>
  <EntityType Name="base" Abstract="true"><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
  <EntityType Name="post" BaseType="ex.base"><Property Name="reactions" Type="ex.reactions"/>
    <Property Name="when" Type="Edm.DateTimeOffset"/><NavigationProperty Name="author" Type="ex.person"/></EntityType>
  <EntityType Name="person" BaseType="ex.base" OpenType="true"/>
</Schema></edmx:DataServices></edmx:Edmx>`;
  const model = CsdlModel.fromXml(xml);

  it('resolves aliases in BaseType and property types', () => {
    expect(model.findProperty('example.ns.post', 'id')?.type).toBe('Edm.String');
    expect(model.findProperty('example.ns.post', 'author')).toMatchObject({
      type: 'example.ns.person',
      navigation: true,
    });
  });

  it('accepts comma-separated members of a flags enum and rejects a stranger', () => {
    expect(model.checkInstance('example.ns.post', { reactions: 'like, heart' })).toBeUndefined();
    expect(model.checkInstance('example.ns.post', { reactions: 'like,wow' })?.message).toBe(
      "Value 'wow' is not a member of enum 'example.ns.reactions'",
    );
  });

  it('checks DateTimeOffset literals', () => {
    expect(model.checkInstance('example.ns.post', { when: '2026-09-01T10:00:00Z' })).toBeUndefined();
    expect(model.checkInstance('example.ns.post', { when: 'next Tuesday' })?.message).toBe(
      "Cannot convert the literal 'next Tuesday' to the expected type 'Edm.DateTimeOffset'",
    );
  });

  it('lets open types carry extra properties', () => {
    expect(model.checkInstance('example.ns.person', { nickname: 'x' })).toBeUndefined();
    expect(model.checkInstance('example.ns.post', { nickname: 'x' })?.target).toBe('nickname');
  });
});

it('parses the 3 MB Graph metadata once and reuses it', () => {
  expect(loadGraphCsdl()).toBe(graph);
});
