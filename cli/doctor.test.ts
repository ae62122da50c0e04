/** `rapid-review doctor` against a fresh local Graph sandbox, with every grant and with one taken away. */
import { runCli } from './main';

async function doctor(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['doctor', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('rapid-review doctor --sandbox', () => {
  it('passes every check with every grant', async () => {
    const { code, out } = await doctor('--sandbox');
    expect(out.filter((l) => l.startsWith('✗'))).toEqual([]);
    expect(out).toContain('✓ Bot Framework registration: local');
    expect(out.some((l) => l.startsWith('✓ database answers'))).toBe(true);
    expect(code).toBe(0);
  });

  it('checks every application permission and every team RSC permission the app declares', async () => {
    const { out } = await doctor('--sandbox');
    expect(out.filter((l) => l.startsWith('✓ Graph application permission'))).toHaveLength(9);
    expect(out.filter((l) => l.startsWith('✓ team RSC'))).toEqual([
      '✓ team RSC ChannelSettings.Read.Group consented',
      '✓ team RSC Channel.Create.Group consented',
      '✓ team RSC ChannelMember.ReadWrite.Group consented',
      '✓ team RSC ChannelMessage.Read.Group consented',
      '✓ team RSC TeamsAppInstallation.Read.Group consented',
    ]);
  });

  it('names the team RSC permission that reads consent when it is missing', async () => {
    const { code, out } = await doctor('--sandbox-revoke', 'TeamsAppInstallation.Read.Group');
    expect(code).toBe(1);
    expect(out.filter((l) => l.startsWith('✗'))).toEqual([
      expect.stringMatching(
        /^✗ team RSC TeamsAppInstallation\.Read\.Group is not consented .*permissionGrants answered 403.* — fix: reinstall Rapid Review in the business unit team/,
      ),
    ]);
  });

  it('names a revoked application permission and the grant script that fixes it', async () => {
    const { code, out } = await doctor('--sandbox-revoke', 'OnlineMeetings.Read.All');
    expect(code).toBe(1);
    expect(out.filter((l) => l.startsWith('✗'))).toEqual([
      expect.stringMatching(
        /^✗ Graph application permission OnlineMeetings\.Read\.All is not granted — fix: \.\/infra\/azure\/grant-graph-permissions\.ps1 -AppId /,
      ),
      // The access policy check reads online meetings, so it fails too, for the same reason.
      expect.stringMatching(/^✗ application access policy/),
    ]);
  });

  it('names a revoked team RSC permission and how to consent again', async () => {
    const { code, out } = await doctor('--sandbox-revoke', 'Channel.Create.Group');
    expect(code).toBe(1);
    expect(out.filter((l) => l.startsWith('✗'))).toEqual([
      expect.stringMatching(
        /^✗ team RSC Channel\.Create\.Group is not consented .* — fix: reinstall Rapid Review in the business unit team and accept its permissions/,
      ),
    ]);
  });

  it('names the application access policy and its PowerShell fix', async () => {
    const { code, out } = await doctor('--sandbox-revoke', 'ApplicationAccessPolicy');
    expect(code).toBe(1);
    expect(out.filter((l) => l.startsWith('✗'))).toEqual([
      expect.stringMatching(
        /— fix: New-CsApplicationAccessPolicy .*Grant-CsApplicationAccessPolicy .*ApplicationAccessPolicy/,
      ),
    ]);
  });
});
