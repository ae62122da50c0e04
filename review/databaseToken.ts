/**
 * The PostgreSQL password when the database accepts Microsoft Entra sign-in only: an access token
 * for Azure Database for PostgreSQL, fetched when a pooled connection opens and reused until shortly
 * before it expires. pg asks for `password` on every new connection when it is a function, so a
 * long-running bot never presents an expired token.
 *
 * Scope: https://ossrdbms-aad.database.windows.net/.default ("Connect with managed identity",
 * learn.microsoft.com/azure/postgresql/flexible-server/how-to-connect-with-managed-identity).
 */
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';

export const postgresEntraScope = 'https://ossrdbms-aad.database.windows.net/.default';

/** Fetch a new token this long before the old one expires (a connection may take a while to open). */
const refreshMarginMs = 5 * 60 * 1000;

/**
 * The credential of the identity that signs in to the database: the user-assigned managed identity
 * named by its client id, or else whatever DefaultAzureCredential finds (AZURE_CLIENT_ID, a developer's
 * `az login`).
 */
export function databaseCredential(managedIdentityClientId?: string): TokenCredential {
  return managedIdentityClientId === undefined
    ? new DefaultAzureCredential()
    : new ManagedIdentityCredential({ clientId: managedIdentityClientId });
}

/** A password function for pg: a cached Entra token, renewed when it is about to expire. */
export function entraPassword(
  credential: TokenCredential,
  now: () => number = Date.now,
): () => Promise<string> {
  let cached: { token: string; expiresOnTimestamp: number } | undefined;
  let pending: Promise<string> | undefined;
  return async () => {
    if (cached !== undefined && cached.expiresOnTimestamp - refreshMarginMs > now()) return cached.token;
    // Several connections opening at once share one token request.
    pending ??= credential
      .getToken(postgresEntraScope)
      .then((token) => {
        if (token === null) throw new Error('no Microsoft Entra token for PostgreSQL was issued');
        cached = { token: token.token, expiresOnTimestamp: token.expiresOnTimestamp };
        return token.token;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
