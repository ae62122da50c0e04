/** For tests: a throwaway self-signed certificate and key as one PEM (openssl, which CI has). */
import { execFileSync } from 'node:child_process';

export function selfSignedPem(): string {
  return execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      '-',
      '-out',
      '-',
      '-subj',
      '/CN=rapid-review-test',
      '-days',
      '1',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
}
