/**
 * A person's 1:1 chat with the bot, for nudges: Teams lets a bot message someone only once its app is
 * installed for them, so the app installs itself in the person's personal scope first (Graph answers
 * 409 Conflict when it already is), then asks for the chat between the person and the app. Needs the
 * TeamsAppInstallation.ReadWriteSelfForUser.All application permission
 * (https://learn.microsoft.com/microsoftteams/platform/graph-api/proactive-bots-and-messages/graph-proactive-bots-and-messages,
 * https://learn.microsoft.com/graph/api/userteamwork-post-installedapps,
 * https://learn.microsoft.com/graph/api/userscopeteamsappinstallation-get-chat).
 */
import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { GraphCallError } from './graphCallError';
import { callError } from './graphCallError';

const installations = z.object({
  value: z.array(z.object({ id: z.string(), teamsApp: z.object({ id: z.string() }).nullable().optional() })),
});
const chat = z.object({ id: z.string().min(1) });

export class GraphPersonalChats {
  /** Chat ids by person and app: an installation's chat does not change while it stays installed. */
  private readonly known = new Map<string, string>();

  constructor(
    private readonly client: Client,
    /** Root used inside `@odata.bind` values: Graph's public root even when requests go elsewhere. */
    private readonly bindRoot = 'https://graph.microsoft.com/v1.0',
  ) {}

  /** The id of the 1:1 chat between the person (by Entra object id) and the app, installing it if needed. */
  async chatWith(aadObjectId: string, teamsAppId: string): Promise<string> {
    const cacheKey = `${aadObjectId.toLowerCase()}|${teamsAppId}`;
    const cached = this.known.get(cacheKey);
    if (cached) return cached;
    const user = encodeURIComponent(aadObjectId);
    let installationId = await this.installation(user, teamsAppId);
    if (!installationId) {
      const operation = 'POST /users/{userId}/teamwork/installedApps';
      try {
        await this.client.api(`/users/${user}/teamwork/installedApps`).post({
          // The app's id in the tenant's app catalog (for an org-published app not the manifest id).
          'teamsApp@odata.bind': `${this.bindRoot}/appCatalogs/teamsApps/${encodeURIComponent(teamsAppId)}`,
        });
      } catch (error) {
        // 409: installed between the look-up and now (another instance, or the person themselves).
        if (!(error instanceof GraphError && error.statusCode === 409)) throw callError(operation, error);
      }
      installationId = await this.installation(user, teamsAppId);
      if (!installationId) throw new GraphCallError(operation, 200, 'InstallationNotFound');
    }
    const operation = 'GET /users/{userId}/teamwork/installedApps/{installationId}/chat';
    let answer: unknown;
    try {
      answer = await this.client
        .api(`/users/${user}/teamwork/installedApps/${encodeURIComponent(installationId)}/chat`)
        .get();
    } catch (error) {
      throw callError(operation, error);
    }
    const parsed = chat.safeParse(answer);
    if (!parsed.success) throw new GraphCallError(operation, 200, 'UnexpectedResponseShape');
    this.known.set(cacheKey, parsed.data.id);
    return parsed.data.id;
  }

  /** The app's installation in the person's personal scope, if there is one. */
  private async installation(user: string, teamsAppId: string): Promise<string | undefined> {
    const operation = 'GET /users/{userId}/teamwork/installedApps';
    let answer: unknown;
    try {
      answer = await this.client
        .api(`/users/${user}/teamwork/installedApps`)
        .query({ $expand: 'teamsApp', $filter: `teamsApp/id eq '${teamsAppId.replace(/'/g, "''")}'` })
        .get();
    } catch (error) {
      throw callError(operation, error);
    }
    const parsed = installations.safeParse(answer);
    if (!parsed.success) throw new GraphCallError(operation, 200, 'UnexpectedResponseShape');
    return parsed.data.value.find((app) => app.teamsApp?.id === teamsAppId)?.id;
  }
}
