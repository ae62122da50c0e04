/**
 * `rapid-review doctor`: checks, with harmless read calls, that the tenant grants what the bot needs,
 * and prints one line per check: `✓ …` or `✗ … — fix: <exact fix>`. The checks take ports (a Graph
 * GET, token sources, a store) so the same code runs against production and a local sandbox.
 */
import { applicationPermissions, resourceSpecificPermissions } from '../infra/adminMaterial';
import { latestSchemaVersion } from '../review/migrations';

export interface GraphAnswer {
  status: number;
  body: unknown;
}

export interface DoctorPorts {
  /** GET a path relative to the Graph root (e.g. '/users/x'), signed as the bot. */
  graphGet(path: string): Promise<GraphAnswer>;
  /** An app-only Graph access token (scope https://graph.microsoft.com/.default). */
  graphToken(): Promise<string>;
  /** A Bot Framework token for the bot's app id; undefined in sandbox mode. */
  botFrameworkToken?: () => Promise<string>;
  /** The store's schema version (a query: SELECT 1 is implied). */
  schemaVersion(): Promise<number>;
  appId: string;
  teamId: string;
  organizer: string;
  chairEmail: string;
}

export interface CheckLine {
  ok: boolean;
  text: string;
}

/** The `roles` claim of a JWT (the payload is decoded, never verified: Graph verifies it). */
export function tokenRoles(token: string): string[] {
  const payload = token.split('.')[1] ?? '';
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { roles?: unknown };
  return Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
}

const pass = (text: string): CheckLine => ({ ok: true, text: `✓ ${text}` });
const fail = (text: string, fix: string): CheckLine => ({ ok: false, text: `✗ ${text} — fix: ${fix}` });

export async function runDoctor(ports: DoctorPorts): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  const guarded = async (what: string, fix: string, check: () => Promise<CheckLine[]>) => {
    try {
      lines.push(...(await check()));
    } catch (error) {
      lines.push(fail(`${what}: ${(error as Error).message}`, fix));
    }
  };

  // (1) Graph application permissions: in the token's roles once admin consent is given.
  await guarded(
    'Graph token',
    `check MICROSOFT_APP_ID and its certificate (docs/deploy.md checklist steps 1 and 3)`,
    async () => {
      const roles = new Set(tokenRoles(await ports.graphToken()));
      return applicationPermissions.map((p) =>
        roles.has(p.name)
          ? pass(`Graph application permission ${p.name}`)
          : fail(
              `Graph application permission ${p.name} is not granted`,
              `./infra/azure/grant-graph-permissions.ps1 -AppId ${ports.appId} (grants '${p.name}'), as a Privileged Role Administrator`,
            ),
      );
    },
  );

  // (2) Team RSC consent: granted when the app is installed in the team and its permissions accepted.
  // GET /teams/{id}/permissionGrants needs RSC TeamsAppInstallation.Read.Group (least privileged in
  // https://learn.microsoft.com/graph/api/team-list-permissiongrants), which the app declares for this.
  const teamRsc = resourceSpecificPermissions.filter((p) => p.scope === 'team');
  const consentFix =
    'reinstall Rapid Review in the business unit team and accept its permissions (Entra group owner consent for apps accessing data, or a Teams administrator consents; docs/deploy.md checklist steps 8 and 10)';
  await guarded('team RSC consent', consentFix, async () => {
    const answer = await ports.graphGet(`/teams/${ports.teamId}/permissionGrants`);
    if (answer.status === 403) {
      return [
        fail(
          `team RSC TeamsAppInstallation.Read.Group is not consented in team ${ports.teamId} (GET /teams/${ports.teamId}/permissionGrants answered 403), so the other team permissions cannot be checked`,
          consentFix,
        ),
      ];
    }
    if (answer.status !== 200) {
      return [
        fail(
          `team RSC consent: GET /teams/${ports.teamId}/permissionGrants answered ${answer.status}`,
          'check BUSINESS_UNIT_TEAM_ID and that the app is installed in that team',
        ),
      ];
    }
    type Grant = { permission?: string; clientId?: string; clientAppId?: string };
    // The list holds every app's grants in the team: keep this app's (Microsoft documents clientId as
    // the app id and clientAppId as its service principal; either may carry the app id).
    const granted = new Set(
      ((answer.body as { value?: Grant[] }).value ?? [])
        .filter((g) => g.clientId === ports.appId || g.clientAppId === ports.appId)
        .map((g) => g.permission),
    );
    return teamRsc.map((p) =>
      granted.has(p.name)
        ? pass(`team RSC ${p.name} consented`)
        : fail(`team RSC ${p.name} is not consented in team ${ports.teamId}`, consentFix),
    );
  });

  // (3) The application access policy for the organiser's online meetings.
  await guarded('application access policy', 'see docs/deploy.md checklist step 6', async () => {
    const url = 'https://teams.microsoft.com/l/meetup-join/rapid-review-doctor';
    const answer = await ports.graphGet(
      `/users/${encodeURIComponent(ports.organizer)}/onlineMeetings?$filter=${encodeURIComponent(`JoinWebUrl eq '${url}'`)}`,
    );
    // 404 is "no meeting with that URL": the call itself was allowed. The policy's refusal is a 403.
    if (answer.status === 200 || answer.status === 404)
      return [pass(`application access policy covers ${ports.organizer}`)];
    return [
      fail(
        `application access policy: online meetings of ${ports.organizer} answered ${answer.status}`,
        `New-CsApplicationAccessPolicy -Identity RapidReview-Meetings -AppIds ${ports.appId}; Grant-CsApplicationAccessPolicy -PolicyName RapidReview-Meetings -Identity ${ports.organizer} (allow up to 30 minutes; the grant name is ApplicationAccessPolicy)`,
      ),
    ];
  });

  // (4) The organiser and the chair are people in the directory (object ids).
  for (const [role, who] of [
    ['meeting organiser', ports.organizer],
    ['chair', ports.chairEmail],
  ] as const) {
    await guarded(`${role} ${who}`, 'check the setting', async () => {
      const answer = await ports.graphGet(`/users/${encodeURIComponent(who)}`);
      const id = (answer.body as { id?: string }).id;
      return answer.status === 200 && id
        ? [pass(`${role} ${who} is Entra object ${id}`)]
        : [
            fail(
              `${role} ${who} was not found (${answer.status})`,
              `set ${role === 'chair' ? 'REVIEW_CHAIR_EMAIL' : 'MEETING_ORGANIZER'} to the user principal name of a licensed user in this tenant`,
            ),
          ];
    });
  }

  // (5) The bot's registration.
  if (ports.botFrameworkToken === undefined) {
    lines.push(pass('Bot Framework registration: local'));
  } else {
    const token = ports.botFrameworkToken;
    await guarded(
      'Bot Framework token',
      `check the Azure Bot's app id is ${ports.appId} (type Single Tenant) and the certificate is on the app registration (docs/deploy.md checklist step 3)`,
      async () => {
        await token();
        return [pass(`Bot Framework token for ${ports.appId}`)];
      },
    );
  }

  // (6) The database.
  await guarded(
    'database',
    'check DATABASE_URL, the network and the Entra role (docs/deploy.md checklist step 4)',
    async () => {
      const version = await ports.schemaVersion();
      return version >= latestSchemaVersion()
        ? [pass(`database answers, schema version ${version} is current`)]
        : [
            fail(
              `database schema version ${version} is behind ${latestSchemaVersion()}`,
              'start the bot once (it migrates at start-up)',
            ),
          ];
    },
  );
  return lines;
}
