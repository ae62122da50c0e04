/**
 * `rapid-review doctor [--sandbox] [--sandbox-revoke NAME]`: production settings from the environment
 * (through the bot's own loader), or a fresh local Graph sandbox with every grant but NAME.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import { loadEnvironmentConfig } from '../bot/certificate';
import type { BotIdentity } from '../bot/config';
import { openStore } from '../review/openStore';
import { runDoctor, type DoctorPorts, type GraphAnswer } from './doctor';
import { UsageError, type CliIo } from './usage';

/** The same credential the bot uses (bot/teams/adapter.ts, graph/graphClient.ts). */
function botCredential(identity: BotIdentity): TokenCredential {
  const { appId, tenantId, credential } = identity;
  switch (credential.kind) {
    case 'secret':
      return new ClientSecretCredential(tenantId, appId, credential.password);
    case 'certificate':
      return new ClientCertificateCredential(tenantId, appId, { certificatePath: credential.keyFile });
    case 'managed-identity':
      return new ManagedIdentityCredential({ clientId: credential.clientId });
  }
}

async function tokenFor(credential: TokenCredential, scope: string): Promise<string> {
  const token = await credential.getToken(scope);
  if (!token) throw new Error(`no token for ${scope}`);
  return token.token;
}

function graphGetter(baseUrl: string, token: () => Promise<string>) {
  return async (path: string): Promise<GraphAnswer> => {
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${await token()}` },
    });
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: response.status, body };
  };
}

async function report(ports: DoctorPorts, io: CliIo): Promise<number> {
  const lines = await runDoctor(ports);
  for (const line of lines) io.out(line.text);
  return lines.every((line) => line.ok) ? 0 : 1;
}

async function production(io: CliIo): Promise<number> {
  const config = loadEnvironmentConfig(process.env);
  if (config.mode !== 'production')
    throw new UsageError('doctor checks production settings (RR_MODE=production)');
  const credential = botCredential(config.identity);
  const graphToken = () => tokenFor(credential, 'https://graph.microsoft.com/.default');
  const store = await openStore(config.store);
  try {
    return await report(
      {
        graphGet: graphGetter(config.graph.baseUrl, graphToken),
        graphToken,
        botFrameworkToken: () => tokenFor(credential, 'https://api.botframework.com/.default'),
        schemaVersion: () => store.schemaVersion(),
        appId: config.identity.appId,
        teamId: config.settings.teamId,
        organizer: config.settings.meetingOrganizer,
        chairEmail: config.settings.chair.email,
      },
      io,
    );
  } finally {
    await store.close();
  }
}

async function sandbox(revoke: string | undefined, io: CliIo): Promise<number> {
  // A test tool, loaded only when asked for (dist/test/graph-sandbox is built with everything else).
  const { startGraphSandbox } = await import('../test/graph-sandbox/graphSandbox');
  const teamId = '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f';
  const organizer = { id: '11111111-2222-4333-8444-555555555555', mail: 'rapid-review@partnership.example' };
  const chair = { id: '66666666-7777-4888-9999-aaaaaaaaaaaa', mail: 'chair@partnership.example' };
  const appId = '00000000-0000-4000-8000-000000000000';
  const graph = await startGraphSandbox({
    appId,
    directory: [organizer, chair].map((p) => ({
      id: p.id,
      displayName: p.mail,
      mail: p.mail,
      userPrincipalName: p.mail,
      userType: 'Member' as const,
    })),
    teams: [
      {
        id: teamId,
        displayName: 'Safeguarding business unit',
        members: [organizer.id],
        owners: [organizer.id],
      },
    ],
  });
  if (revoke !== undefined) {
    if (!graph.grants.includes(revoke)) {
      await graph.close();
      throw new UsageError(
        `doctor: --sandbox-revoke '${revoke}' is not a grant (${graph.grants.join(', ')})`,
      );
    }
    graph.revoke(revoke);
  }
  const dir = mkdtempSync(join(tmpdir(), 'rr-doctor-'));
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'doctor.db') });
  const token = async () => {
    const response = await fetch(`${new URL(graph.url).origin}/_sandbox/token`, { method: 'POST' });
    return ((await response.json()) as { access_token: string }).access_token;
  };
  try {
    return await report(
      {
        graphGet: graphGetter(graph.url, token),
        graphToken: token,
        schemaVersion: () => store.schemaVersion(),
        appId,
        teamId,
        organizer: organizer.mail,
        chairEmail: chair.mail,
      },
      io,
    );
  } finally {
    await store.close();
    await graph.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function doctorCommand(args: string[], io: CliIo): Promise<number> {
  let useSandbox = false;
  let revoke: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--sandbox') useSandbox = true;
    else if (args[i] === '--sandbox-revoke' && args[i + 1] !== undefined) {
      useSandbox = true;
      revoke = args[++i];
    } else
      throw new UsageError(`doctor: unexpected '${args[i]}' (doctor [--sandbox] [--sandbox-revoke NAME])`);
  }
  return useSandbox ? sandbox(revoke, io) : production(io);
}
