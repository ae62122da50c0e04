/**
 * The fictitious partnership `npm run dev` and the browser tests run: its people, its team and the
 * bot settings that make them the business unit and the agency representatives. The Agents Playground
 * reads the same people from .m365agentsplayground.yml, which `playgroundConfigYaml()` renders and a
 * test keeps in step with this file.
 *
 * Development tooling lives under test/ (like the Graph sandbox) so the one TypeScript build and the
 * lint rules cover it; nothing in the product imports it.
 */

export interface SamplePerson {
  /** Short name for `--as` and "act as" (e.g. `police`). */
  key: string;
  /** The Teams user id (MRI) the playground sends as `from.id`. */
  id: string;
  aadObjectId: string;
  name: string;
  givenName: string;
  surname: string;
  email: string;
  /** What the person is in the sample review, for the terminal and the docs. */
  role: string;
  /** The agency the person represents in the sample review (the open-review form's values). */
  agency?: { name: string; kind: string; kindLabel: string; lead: boolean };
}

const person = (
  n: number,
  key: string,
  name: string,
  email: string,
  role: string,
  agency?: SamplePerson['agency'],
): SamplePerson => {
  const [givenName, surname] = name.split(' ');
  return {
    key,
    id: `29:${n}`,
    aadObjectId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    name,
    givenName,
    surname,
    email,
    role,
    ...(agency ? { agency } : {}),
  };
};

/**
 * Six people: the playground's config holds one current user and exactly five others. The same
 * fictitious names, ids and emails as the HTTP tests' harness.
 */
export const samplePeople: readonly SamplePerson[] = [
  person(1, 'officer', 'Bea Unit', 'bea.unit@partnership.example', 'Business unit officer'),
  person(2, 'la', 'Lara Authority', 'lara.authority@council.example', 'Local authority representative', {
    name: 'Exampleshire Children’s Services',
    kind: 'local-authority',
    kindLabel: 'Local authority',
    lead: true,
  }),
  person(3, 'police', 'Pete Constable', 'pete.constable@police.example', 'Police representative', {
    name: 'Exampleshire Police',
    kind: 'police',
    kindLabel: 'Police',
    lead: true,
  }),
  person(4, 'icb', 'Isla Board', 'isla.board@icb.example', 'Integrated Care Board representative', {
    name: 'Exampleshire ICB',
    kind: 'icb',
    kindLabel: 'Integrated Care Board',
    lead: true,
  }),
  person(5, 'school', 'Sam Teacher', 'sam.teacher@school.example', 'School representative', {
    name: 'Example Primary School',
    kind: 'education',
    kindLabel: 'Education',
    lead: false,
  }),
  person(6, 'chair', 'Chris Chair', 'chris.chair@partnership.example', 'Rapid Review chair'),
];

export const sampleTenantId = '6f1a7c2e-0b1d-4c3e-9a55-2b8f0d1e7a10';

/** The playground addresses the bot by this id; it matches the bot's local-mode app id. */
export const sampleBot = { id: '28:rapid-review-local-bot', name: 'Rapid Review' };

/**
 * The business unit's team. In Teams the team's own conversation id is its General channel's id,
 * which is why the business unit's channel is the General channel here. Graph knows the team by its
 * group id, which is what the bot's BUSINESS_UNIT_TEAM_ID holds.
 */
export const sampleTeam = {
  conversationId: '19:business-unit@thread.tacv2',
  name: 'Exampleshire Safeguarding Partnership',
  aadGroupId: '0a1b2c3d-1111-4222-8333-444455556666',
};

/**
 * The playground shows only the channels in its config, and its schema allows one besides General.
 * The Graph sandbox hands this id to the first review channel the bot creates, so the first review's
 * channel appears in the playground as "Review channel".
 */
export const spareReviewChannels: readonly { id: string; name: string }[] = [
  { id: '19:review-channel-1@thread.tacv2', name: 'Review channel' },
];

export const samplePersonalChatId = 'a:rapid-review-personal-chat';
export const sampleGroupChat = { id: '19:partnership-group-chat@thread.v2', name: 'Partnership group chat' };

export function samplePerson(keyOrName: string): SamplePerson | undefined {
  const wanted = keyOrName.trim().toLowerCase();
  return samplePeople.find(
    (p) =>
      p.key === wanted ||
      p.name.toLowerCase() === wanted ||
      p.givenName.toLowerCase() === wanted ||
      p.email === wanted,
  );
}

/** The app's catalog id in the sample tenant: the bot adds it to meeting chats through the Graph sandbox. */
export const sampleTeamsAppId = '5e1c0a77-2f0d-4b8e-9c61-3d7a2b9e4f10';

/**
 * The sample partnership's directory as Entra ID holds it: its own staff are members signing in with
 * their e-mail; agencies' people are guests, whose user principal name is not their e-mail.
 */
export function sampleDirectory(): {
  id: string;
  displayName: string;
  mail: string;
  userPrincipalName: string;
  userType: 'Member' | 'Guest';
}[] {
  return samplePeople.map((p) => {
    const [local, domain] = p.email.split('@');
    const guest = domain !== 'partnership.example';
    return {
      id: p.aadObjectId,
      displayName: p.name,
      mail: p.email,
      userPrincipalName: guest ? `${local}_${domain}#EXT#@exampleshire.onmicrosoft.com` : p.email,
      userType: guest ? 'Guest' : 'Member',
    };
  });
}

/** The business unit's team in Graph: the officer and the chair are in it, with the bot installed. */
export function sampleTeamSeed() {
  const inTeam = samplePeople
    .filter((p) => p.key === 'officer' || p.key === 'chair')
    .map((p) => p.aadObjectId);
  return {
    id: sampleTeam.aadGroupId,
    displayName: sampleTeam.name,
    members: inTeam,
    owners: inTeam.slice(0, 1),
    channels: [{ id: sampleTeam.conversationId, displayName: 'General' }],
    installedApps: [sampleTeamsAppId],
  };
}

/** The bot's environment for the sample partnership (everything but the store, reports and Graph URL). */
export function sampleBotEnv(): Record<string, string> {
  const officer = samplePeople.find((p) => p.key === 'officer') as SamplePerson;
  const chair = samplePeople.find((p) => p.key === 'chair') as SamplePerson;
  return {
    RR_MODE: 'local',
    BUSINESS_UNIT_TEAM_ID: sampleTeam.aadGroupId,
    BUSINESS_UNIT_CHANNEL_ID: sampleTeam.conversationId,
    BUSINESS_UNIT_USERS: officer.aadObjectId,
    REVIEW_CHAIR_NAME: chair.name,
    REVIEW_CHAIR_EMAIL: chair.email,
    TEAMS_APP_ID: sampleTeamsAppId,
  };
}

function yamlString(value: string): string {
  // Quoted always: ids such as 29:1 would otherwise read as YAML sexagesimal numbers. Single quotes,
  // as Prettier writes YAML in this repository, so the file stays as rendered.
  return `'${value.replace(/'/g, "''")}'`;
}

function yamlUser(p: SamplePerson, indent: string, first: string): string[] {
  const fields: [string, string][] = [
    ['id', p.id],
    ['name', p.name],
    // Sic: the playground's schema spells it "Principle".
    ['userPrincipleName', p.email],
    ['aadObjectId', p.aadObjectId],
    ['givenName', p.givenName],
    ['surname', p.surname],
    ['email', p.email],
  ];
  return fields.map(([k, v], i) => `${i === 0 ? first : indent}${k}: ${yamlString(v)}`);
}

/**
 * The Agents Playground config (schema 0.1.1) with `currentUserKey` as the person at the keyboard;
 * the other five are the team's and the group chat's members.
 */
export function playgroundConfigYaml(currentUserKey = 'officer'): string {
  const current = samplePerson(currentUserKey);
  if (!current) throw new Error(`no sample person '${currentUserKey}'`);
  const others = samplePeople.filter((p) => p !== current);
  return [
    '# Microsoft 365 Agents Playground: the Teams context of the sample partnership that `npm run dev` runs.',
    '# Rendered by test/dev/samplePartnership.ts (a test keeps the two in step). See docs/local-run.md.',
    `version: ${yamlString('0.1.1')}`,
    `tenantId: ${yamlString(sampleTenantId)}`,
    'bot:',
    `  id: ${yamlString(sampleBot.id)}`,
    `  name: ${yamlString(sampleBot.name)}`,
    'currentUser:',
    ...yamlUser(current, '  ', '  '),
    'users:',
    ...others.flatMap((p) => yamlUser(p, '    ', '  - ')),
    'personalChat:',
    `  id: ${yamlString(samplePersonalChatId)}`,
    'groupChat:',
    `  id: ${yamlString(sampleGroupChat.id)}`,
    `  name: ${yamlString(sampleGroupChat.name)}`,
    'team:',
    `  id: ${yamlString(sampleTeam.conversationId)}`,
    `  name: ${yamlString(sampleTeam.name)}`,
    `  aadGroupId: ${yamlString(sampleTeam.aadGroupId)}`,
    '  channels:',
    ...spareReviewChannels.flatMap((c) => [
      `    - id: ${yamlString(c.id)}`,
      `      name: ${yamlString(c.name)}`,
    ]),
    '',
  ].join('\n');
}

/**
 * The sample partnership's directory, as `rapid-review directory import` takes it: each agency of the
 * sample people with its standing representative (and partner lead for the statutory partners), and
 * the chair. `npm run dev` starts with it unless told `--empty-directory`.
 */
export function sampleDirectoryImport(): {
  agencies: {
    name: string;
    kind: string;
    representatives: { name: string; email: string }[];
    lead?: { name: string; email: string };
  }[];
  chairs: { name: string; email: string }[];
  officers: { name: string; email: string }[];
} {
  const byKey = (key: string) => samplePeople.find((p) => p.key === key) as SamplePerson;
  const named = (p: SamplePerson) => ({ name: p.name, email: p.email });
  return {
    agencies: samplePeople
      .filter((p) => p.agency)
      .map((p) => {
        const agency = p.agency as NonNullable<SamplePerson['agency']>;
        return {
          name: agency.name,
          kind: agency.kind,
          representatives: [named(p)],
          ...(agency.lead ? { lead: named(p) } : {}),
        };
      }),
    chairs: [named(byKey('chair'))],
    officers: [named(byKey('officer'))],
  };
}
