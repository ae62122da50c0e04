/**
 * The Bot Framework adapter. Production authenticates every incoming activity (single tenant, with a
 * secret, a certificate or a user-assigned managed identity); local mode has no credentials at all,
 * which botbuilder treats as "authentication disabled" — so it is only ever built for the loopback
 * development mode that config.ts allows.
 */
import fs from 'node:fs';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import {
  CertificateServiceClientCredentialsFactory,
  ManagedIdentityServiceClientCredentialsFactory,
  JwtTokenProviderFactory,
  PasswordServiceClientCredentialFactory,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { AppConfig } from '../config';
import type { Logger } from '../log';

/** The app id used to address the bot in local mode, where there is no registration. */
export const localBotAppId = 'rapid-review-local-bot';

export function botAppIdOf(config: AppConfig): string {
  return config.identity?.appId ?? localBotAppId;
}

function credentialsFactory(config: AppConfig): ServiceClientCredentialsFactory | undefined {
  if (config.mode === 'local') return undefined;
  const { appId, tenantId, credential } = config.identity;
  switch (credential.kind) {
    case 'secret':
      return new PasswordServiceClientCredentialFactory(appId, credential.password, tenantId);
    case 'certificate':
      return new CertificateServiceClientCredentialsFactory(
        appId,
        credential.thumbprint,
        fs.readFileSync(credential.keyFile, 'utf8'),
        tenantId,
      );
    case 'managed-identity':
      return new ManagedIdentityServiceClientCredentialsFactory(appId, new JwtTokenProviderFactory());
  }
}

export function createAdapter(config: AppConfig, log: Logger): CloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions =
    config.mode === 'production'
      ? {
          MicrosoftAppId: config.identity.appId,
          MicrosoftAppTenantId: config.identity.tenantId,
          MicrosoftAppType:
            config.identity.credential.kind === 'managed-identity' ? 'UserAssignedMSI' : 'SingleTenant',
          ...(config.identity.credential.kind === 'secret'
            ? { MicrosoftAppPassword: config.identity.credential.password }
            : {}),
        }
      : {};
  const auth = new ConfigurationBotFrameworkAuthentication(options, credentialsFactory(config));
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    // The error message may quote a card's input; log the kind and the activity type only.
    log.error({ err: { name: error.name }, activityType: context.activity.type }, 'turn failed');
    if (context.activity.type === 'message') {
      await context.sendActivity('Sorry, something went wrong. Nothing was saved; please try again.');
    }
  };
  return adapter;
}
