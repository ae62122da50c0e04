import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withCertificateFile } from './certificate';
import { ConfigError } from './config';
import { selfSignedPem } from './testCertificate';

describe('MICROSOFT_APP_CERT_PEM (the Key Vault certificate)', () => {
  const pem = selfSignedPem();
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rr-cert-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('becomes a private key file and the thumbprint of its certificate', () => {
    const env = withCertificateFile({ MICROSOFT_APP_CERT_PEM: pem, OTHER: 'x' }, dir);
    expect(env.MICROSOFT_APP_CERT_PEM).toBeUndefined();
    expect(env.OTHER).toBe('x');
    const keyFile = env.MICROSOFT_APP_CERT_KEY_FILE as string;
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(pem.trim());
    expect(statSync(keyFile).mode & 0o077).toBe(0);
    expect(env.MICROSOFT_APP_CERT_THUMBPRINT).toBe(new X509Certificate(pem).fingerprint.replace(/:/g, ''));
  });

  it('leaves an environment without it alone', () => {
    const env = { MICROSOFT_APP_PASSWORD: 'x' };
    expect(withCertificateFile(env, dir)).toBe(env);
  });

  it('refuses a certificate without its private key, and a thumbprint of another certificate', () => {
    const certOnly = pem.slice(pem.indexOf('-----BEGIN CERTIFICATE-----'));
    expect(() => withCertificateFile({ MICROSOFT_APP_CERT_PEM: certOnly }, dir)).toThrow(/no private key/);
    expect(() =>
      withCertificateFile(
        { MICROSOFT_APP_CERT_PEM: pem, MICROSOFT_APP_CERT_THUMBPRINT: 'AB'.repeat(20) },
        dir,
      ),
    ).toThrow(ConfigError);
    expect(() => withCertificateFile({ MICROSOFT_APP_CERT_PEM: 'not a pem' }, dir)).toThrow(
      /must hold a PEM/,
    );
  });
});
