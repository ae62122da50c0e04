/** What every flow needs: the ports, the profiles and the partnership's settings. */
import type { ProfileRegistry } from '../../review/profile';
import type { Clock, Messenger, Teamspace } from '../../review/ports';
import type { ReviewStore } from '../../review/store';
import type { Person } from '../../review/model';
import type { Actor } from '../../review/lifecycle';
import type { Logger } from '../log';
import type { BackgroundWork } from './background';

export interface BusinessUnitRegister {
  aadObjectIds: string[];
  emails: string[];
}

export interface FlowSettings {
  /** The team review channels are created in. */
  teamId: string;
  /** The business unit's own channel: escalations go here, and it may open reviews. */
  businessUnitChannelId?: string;
  defaultProfileId: string;
  businessUnit: BusinessUnitRegister;
  /** The bot's Teams app id (catalog id), for installing it in meeting chats. */
  teamsAppId?: string;
  /** The mailbox that organises review meetings. */
  meetingOrganizer?: string;
  /** The review group's chair, invited to every meeting and the only one who confirms quorum. */
  chair?: Person;
  /** Where Rapid Review reports are written. Default ./data/reports. */
  reportsDir?: string;
  /**
   * Where each role's notices go (role as the profile names it → Teams channel id); a role without
   * one is told through the business unit's channel.
   */
  noticeChannels?: ReadonlyMap<string, string>;
}

export interface FlowDeps {
  store: ReviewStore;
  profiles: ProfileRegistry;
  teamspace: Teamspace;
  messenger: Messenger;
  clock: Clock;
  log: Logger;
  settings: FlowSettings;
  /** Work after a reply, set-up's one-at-a-time guard, ordered card updates, values of the day. */
  background: BackgroundWork;
}

export function isBusinessUnit(register: BusinessUnitRegister, person: Person): boolean {
  // Teams sends object ids in lower case, but an administrator may paste them in any case.
  if (person.aadObjectId && register.aadObjectIds.includes(person.aadObjectId.toLowerCase())) return true;
  return Boolean(person.email && register.emails.includes(person.email.toLowerCase()));
}

export function actorOf(register: BusinessUnitRegister, person: Person): Actor {
  return { person, businessUnit: isBusinessUnit(register, person) };
}
