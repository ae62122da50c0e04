/**
 * `npm run demo -- --graph-log F` (issue 10): the whole demo's Graph traffic, as written to the log,
 * takes the path a real tenant allows — people by object id, members in the team before the private
 * channel, the app enabled in the channel before anyone is added or anything posted, the meeting chat
 * install with consent — and nothing is refused by the strict sandbox (permissions, metadata).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDemo } from '../demo/demo';

interface LoggedRequest {
  method: string;
  path: string;
  body: unknown;
}

describe('the demo’s Graph request log', () => {
  it('shows every call as a tenant allows it, in the order a tenant needs', async () => {
    const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rr-demo-')), 'graph.jsonl');
    const summary = await runDemo({ json: true, graphLog: logFile });
    const log = fs
      .readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as LoggedRequest);
    const index = (pattern: RegExp, method = 'POST') =>
      log.findIndex((entry) => entry.method === method && pattern.test(entry.path.split('?')[0]));

    expect(summary.graphRefused).toBe(0);
    expect(summary.graphRejected).toBe(0);
    const teamAdd = index(/^\/v1\.0\/teams\/[^/]+\/members\/add$/);
    const create = index(/^\/v1\.0\/teams\/[^/]+\/channels$/);
    const enable = index(/\/channels\/[^/]+\/enabledApps\/\$ref$/);
    const member = index(/\/channels\/[^/]+\/members$/);
    expect([teamAdd, create, enable, member].every((at) => at >= 0)).toBe(true);
    expect(teamAdd).toBeLessThan(create);
    expect(create).toBeLessThan(enable);
    expect(enable).toBeLessThan(member);
    // The one beta call is the documented one: enabling an app in a private channel.
    expect(log.filter((entry) => entry.path.startsWith('/beta/')).map((entry) => entry.path)).toEqual([
      log[enable].path,
    ]);
    // People are bound by object id; the online meeting calls name the organiser by object id.
    const bodies = JSON.stringify(log.map((entry) => entry.body));
    expect(bodies).not.toMatch(/users\('[^']*@/);
    for (const entry of log.filter((e) => /\/onlineMeetings/.test(e.path))) {
      expect(entry.path).toMatch(/^\/v1\.0\/users\/[0-9a-f-]{36}\/onlineMeetings/);
    }
    const install = log[index(/^\/v1\.0\/chats\/[^/]+\/installedApps$/)];
    expect(install.body).toMatchObject({
      consentedPermissionSet: {
        resourceSpecificPermissions: [
          { permissionValue: 'OnlineMeeting.ReadBasic.Chat', permissionType: 'application' },
          { permissionValue: 'OnlineMeetingParticipant.Read.Chat', permissionType: 'application' },
        ],
      },
    });
  }, 60_000);
});
