/**
 * The bot's certificate as App Service hands it over: a Key Vault reference resolves to the PEM text
 * of a certificate created with content type application/x-pem-file (private key and certificate),
 * while the Bot Framework and @azure/identity read a key file. This writes the PEM to a file only the
 * bot's user can read and derives the SHA-1 thumbprint from the certificate itself, so the
 * deployment never has to copy a thumbprint by hand. Then the configuration is read as usual.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, type AppConfig } from './config';

/** The environment with MICROSOFT_APP_CERT_PEM replaced by a key file and a thumbprint. */
export function withCertificateFile(env: NodeJS.ProcessEnv, dir?: string): NodeJS.ProcessEnv {
  const pem = env.MICROSOFT_APP_CERT_PEM?.trim();
  if (pem === undefined || pem === '') return env;
  if (env.MICROSOFT_APP_CERT_KEY_FILE?.trim()) {
    throw new ConfigError([
      'MICROSOFT_APP_CERT_PEM must not be set together with MICROSOFT_APP_CERT_KEY_FILE: give the certificate once',
    ]);
  }
  let thumbprint: string;
  try {
    thumbprint = new X509Certificate(pem).fingerprint.replace(/:/g, '');
  } catch {
    throw new ConfigError([
      'MICROSOFT_APP_CERT_PEM must hold a PEM certificate and its private key (Key Vault certificate with content type application/x-pem-file)',
    ]);
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw new ConfigError([
      'MICROSOFT_APP_CERT_PEM holds no private key: create the Key Vault certificate with an exportable key',
    ]);
  }
  const given = env.MICROSOFT_APP_CERT_THUMBPRINT?.trim();
  if (given && given.toUpperCase() !== thumbprint.toUpperCase()) {
    throw new ConfigError([
      `MICROSOFT_APP_CERT_THUMBPRINT does not match the certificate in MICROSOFT_APP_CERT_PEM (its thumbprint is ${thumbprint})`,
    ]);
  }
  const folder = dir ?? mkdtempSync(join(tmpdir(), 'rapid-review-cert-'));
  const keyFile = join(folder, 'bot.pem');
  writeFileSync(keyFile, `${pem}\n`, { mode: 0o600 });
  const { MICROSOFT_APP_CERT_PEM: _pem, ...rest } = env;
  void _pem;
  return { ...rest, MICROSOFT_APP_CERT_KEY_FILE: keyFile, MICROSOFT_APP_CERT_THUMBPRINT: thumbprint };
}

/** The configuration from a process environment: the certificate made a file, then loadConfig. */
export function loadEnvironmentConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return loadConfig(withCertificateFile(env));
}
