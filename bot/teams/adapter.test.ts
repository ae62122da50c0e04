/**
 * The adapter reuses one Bot Framework connector client per service URL: a card update or an alert
 * (a proactive turn) does not build a new client, credentials and HTTP pipeline each time.
 */
import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { loadConfig } from '../config';
import { silentLogger } from '../log';
import { createAdapter } from './adapter';

const appId = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

function productionAdapter(): CloudAdapter {
  const config = loadConfig({
    NODE_ENV: 'production',
    RR_MODE: 'production',
    HOST: '127.0.0.1',
    MICROSOFT_APP_ID: appId,
    MICROSOFT_APP_TENANT_ID: '6f1a7c2e-0b1d-4c3e-9a55-2b8f0d1e7a10',
    MICROSOFT_APP_TYPE: 'SingleTenant',
    MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
    SQLITE_PATH: ':memory:',
    BUSINESS_UNIT_TEAM_ID: '0a1b2c3d-1111-4222-8333-444455556666',
    BUSINESS_UNIT_CHANNEL_ID: '19:business-unit@thread.tacv2',
    BUSINESS_UNIT_USERS: '00000000-0000-4000-8000-000000000001',
    REVIEW_CHAIR_EMAIL: 'chair@partnership.example',
    MEETING_ORGANIZER: 'rapid-review@partnership.example',
    TEAMS_APP_ID: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    DATA_ENCRYPTION_KEYS: 'test-2026:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    LOG_LEVEL: 'silent',
  });
  return createAdapter(config, silentLogger);
}

function reference(serviceUrl: string, conversationId: string): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl,
    conversation: { id: conversationId, isGroup: true, conversationType: 'channel', name: '' },
  };
}

/** The connector client and user-token client a proactive turn was given. */
async function clientsOfTurn(adapter: CloudAdapter, ref: Partial<ConversationReference>) {
  let clients: unknown[] = [];
  await adapter.continueConversationAsync(appId, ref, async (context: TurnContext) => {
    clients = [
      context.turnState.get(adapter.ConnectorClientKey),
      context.turnState.get(adapter.UserTokenClientKey),
    ];
  });
  return clients;
}

describe('Bot Framework clients', () => {
  it('reuses one connector client per service URL across proactive turns', async () => {
    const adapter = productionAdapter();
    const uk = 'https://smba.trafficmanager.net/uk/';
    const [first, firstTokens] = await clientsOfTurn(adapter, reference(uk, '19:a@thread.tacv2'));
    const [second, secondTokens] = await clientsOfTurn(adapter, reference(uk, '19:b@thread.tacv2'));
    expect(first).toBeDefined();
    expect(second).toBe(first);
    expect(secondTokens).toBe(firstTokens);
    // Another service URL (another region) has a client of its own, aimed at that URL.
    const emea = 'https://smba.trafficmanager.net/emea/';
    const [other] = await clientsOfTurn(adapter, reference(emea, '19:a@thread.tacv2'));
    expect(other).not.toBe(first);
    expect((other as { baseUri?: string }).baseUri).toBe(emea);
    expect((first as { baseUri?: string }).baseUri).toBe(uk);
  });
});
