// A small partnership tenant for the sandbox's own tests: members, a guest whose UPN is not their
// mail, and the partnership team the bot is installed in.
import type { SandboxTeamSeed, SandboxUserSeed } from './sandboxTenant';

export const TEAM = 'a4f0c6a2-3b1e-4d55-9c1a-0d2b6e7f8a90';
export const OTHER_TEAM = 'b5e1d7b3-4c2f-4e66-8d2b-1e3c7f809b01';

export const OWNER: SandboxUserSeed = {
  id: '0a1b2c3d-0000-4000-8000-000000000001',
  displayName: 'Owner One',
  mail: 'owner.one@partnership.example',
  userPrincipalName: 'owner.one@partnership.example',
  userType: 'Member',
};
export const COLLEAGUE: SandboxUserSeed = {
  id: '0a1b2c3d-0000-4000-8000-000000000002',
  displayName: 'Colleague Two',
  mail: 'colleague.two@partnership.example',
  userPrincipalName: 'colleague.two@partnership.example',
  userType: 'Member',
};
export const ORGANISER_USER: SandboxUserSeed = {
  id: '0a1b2c3d-0000-4000-8000-000000000003',
  displayName: 'Business Unit',
  mail: 'business.unit@partnership.example',
  userPrincipalName: 'business.unit@partnership.example',
  userType: 'Member',
};
export const POLICE_GUEST: SandboxUserSeed = {
  id: '0a1b2c3d-0000-4000-8000-000000000004',
  displayName: 'Pete Constable',
  mail: 'rep@police.example',
  userPrincipalName: 'rep_police.example#EXT#@partnership.onmicrosoft.com',
  userType: 'Guest',
};
export const HEALTH_GUEST: SandboxUserSeed = {
  id: '0a1b2c3d-0000-4000-8000-000000000005',
  displayName: 'Health Rep',
  mail: 'rep@health.example',
  userPrincipalName: 'rep_health.example#EXT#@partnership.onmicrosoft.com',
  userType: 'Guest',
};

export const DIRECTORY: SandboxUserSeed[] = [OWNER, COLLEAGUE, ORGANISER_USER, POLICE_GUEST, HEALTH_GUEST];

/** The partnership team: the owner and a colleague are in it, the guests are not yet. */
export const TEAMS: SandboxTeamSeed[] = [
  { id: TEAM, displayName: 'Safeguarding Partnership', members: [COLLEAGUE.id], owners: [OWNER.id] },
  { id: OTHER_TEAM, displayName: 'Other team', members: [OWNER.id] },
];

/** The install body the bot sends to a meeting chat, consenting to its chat-scope RSC permissions. */
export function chatInstall(teamsAppId: string): Record<string, unknown> {
  return {
    'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${teamsAppId}`,
    consentedPermissionSet: {
      resourceSpecificPermissions: [
        { permissionValue: 'OnlineMeeting.ReadBasic.Chat', permissionType: 'application' },
        { permissionValue: 'OnlineMeetingParticipant.Read.Chat', permissionType: 'application' },
      ],
    },
  };
}
