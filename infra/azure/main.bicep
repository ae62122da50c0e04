// Rapid Review Bot on Azure, in the partnership's own subscription and tenant:
//   App Service (Linux, Node 22 LTS) running the built bot, joined to a private network;
//   Azure Bot (single tenant) for the bot's Entra app registration, with the Microsoft Teams channel;
//   Azure Database for PostgreSQL flexible server 16 (private access, Entra authentication only);
//   Key Vault (RBAC) holding the app registration's certificate (PEM) and other secrets;
//   one user-assigned managed identity, used only to read Key Vault and to sign in to PostgreSQL;
//   Log Analytics and Application Insights.
//
// Identity: the bot authenticates to the Bot Framework and to Microsoft Graph as its app
// registration, with the certificate kept in Key Vault. A managed identity cannot be the app behind
// the Teams manifest's webApplicationInfo and resource-specific consent (those name an Entra app
// registration: "Enable resource-specific consent in Teams", learn.microsoft.com/microsoftteams/platform
// /graph-api/rsc/resource-specific-consent), so it is kept for what Microsoft documents it for: Key
// Vault references and PostgreSQL Entra sign-in.
//
// Deploy into a resource group:
//   az deployment group create -g <group> -f infra/azure/main.bicep -p @infra/azure/main.parameters.json
// docs/deploy.md walks through it, including the steps no template can do (Graph permissions,
// the Teams application access policy, installing the app).

targetScope = 'resourceGroup'

@description('Azure region for every regional resource. UK South keeps the data in the UK.')
param location string = 'uksouth'

@description('Short lower-case prefix for resource names (letters and digits, 2-10 characters).')
@minLength(2)
@maxLength(10)
param namePrefix string = 'rr'

@description('Tags applied to every resource.')
param tags object = {
  application: 'rapid-review-bot'
}

@description('App Service plan SKU. B1 or larger: VNet integration and Always On need it; P0v3 or P1v3 for production.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'P0v3'
  'P1v3'
  'P2v3'
])
param appServicePlanSku string = 'B1'

@description('Command that starts the bot on App Service. The deployed zip holds the built output (dist/), built in CI. A 2 MB young generation keeps about 30 MB less memory committed after busy work (docs/deploy.md).')
param startupCommand string = 'node --max-semi-space-size=2 dist/bot/main.js'

@description('App Service runtime stack: a Node.js LTS that App Service on Linux offers (az webapp list-runtimes --os-type linux).')
@allowed([
  'NODE|22-lts'
  'NODE|24-lts'
])
param nodeRuntime string = 'NODE|22-lts'

@description('MICROSOFT_APP_ID: client id of the bot\'s Entra app registration (single tenant; docs/deploy.md step 1).')
param botAppId string

@description('Name of the app registration\'s certificate in the Key Vault, created with content type application/x-pem-file.')
param botCertificateName string = 'rapid-review-bot'

@description('Name of the Key Vault secret holding DATA_ENCRYPTION_KEYS (keyId:base64 256-bit key, current first), created by hand before the first deployment (docs/deploy.md section 12).')
param dataKeysSecretName string = 'data-encryption-keys'

@description('Path of the Bot Framework messaging endpoint served by the bot.')
param messagingPath string = '/api/messages'

@description('Azure Bot pricing tier. F0 is enough: the Teams channel is a standard channel.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Display name of the Azure Bot resource.')
param botDisplayName string = 'Rapid Review'

@description('PostgreSQL compute SKU.')
param postgresSkuName string = 'Standard_B1ms'

@description('PostgreSQL compute tier matching postgresSkuName.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@description('PostgreSQL storage in GiB.')
param postgresStorageSizeGB int = 32

@description('Days of PostgreSQL point-in-time restore (7-35).')
@minValue(7)
@maxValue(35)
param postgresBackupRetentionDays int = 35

@description('Copy PostgreSQL backups to the paired region (UK West for UK South).')
param postgresGeoRedundantBackup bool = false

@description('Name of the database the bot uses.')
param databaseName string = 'rapidreview'

@description('Object id of an Entra group of human database administrators (break-glass, restores); empty for none.')
param databaseAdminGroupObjectId string = ''

@description('Display name of that Entra group.')
param databaseAdminGroupName string = ''

@description('Address space of the private network.')
param vnetAddressPrefix string = '10.42.0.0/16'

@description('Subnet for App Service VNet integration.')
param appSubnetPrefix string = '10.42.1.0/26'

@description('Subnet delegated to the PostgreSQL server.')
param databaseSubnetPrefix string = '10.42.2.0/24'

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

@description('PROFILE: id of the partnership profile.')
param profile string = 'england'

@description('BUSINESS_UNIT_TEAM_ID: id (GUID) of the team in which review channels are created.')
param businessUnitTeamId string

@description('BUSINESS_UNIT_CHANNEL_ID: the business unit\'s own channel, 19:...@thread.tacv2.')
param businessUnitChannelId string

@description('BUSINESS_UNIT_USERS: comma-separated Entra object ids or email addresses of the business-unit officers.')
param businessUnitUsers string

@description('REVIEW_CHAIR_NAME: name of the chair of the review group.')
param reviewChairName string

@description('REVIEW_CHAIR_EMAIL: email (UPN) of the chair, invited to every review meeting.')
param reviewChairEmail string

@description('MEETING_ORGANIZER: mailbox (UPN) whose calendar holds review meetings; the application access policy must cover it.')
param meetingOrganizer string

@description('TEAMS_APP_ID: the app\'s id in the tenant app catalog (Teams admin centre, Manage apps, Rapid Review, App ID) once the package is uploaded.')
param teamsAppId string

@description('ALERT_HOUR: hour (0-23, Europe/London) alerts are sent; empty for the profile\'s own hour.')
param alertHour string = ''

@description('LOG_LEVEL of the bot.')
@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
])
param logLevel string = 'info'

var prefix = toLower(namePrefix)
var suffix = uniqueString(resourceGroup().id)
// Built-in role "Key Vault Secrets User": read secret values, nothing else.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${prefix}-bot'
  location: location
  tags: tags
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${prefix}-${suffix}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${prefix}-${suffix}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    IngestionMode: 'LogAnalytics'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${prefix}-${take(suffix, 8)}'
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Access is granted with Azure roles, per identity, not with vault access policies.
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource appInsightsSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'applicationinsights-connection-string'
  properties: {
    value: appInsights.properties.ConnectionString
  }
}

resource botReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

module network 'modules/network.bicep' = {
  name: 'network'
  params: {
    location: location
    namePrefix: prefix
    tags: tags
    addressPrefix: vnetAddressPrefix
    appSubnetPrefix: appSubnetPrefix
    databaseSubnetPrefix: databaseSubnetPrefix
  }
}

module database 'modules/database.bicep' = {
  name: 'database'
  params: {
    location: location
    serverName: 'psql-${prefix}-${suffix}'
    tags: tags
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageSizeGB: postgresStorageSizeGB
    backupRetentionDays: postgresBackupRetentionDays
    geoRedundantBackup: postgresGeoRedundantBackup
    delegatedSubnetId: network.outputs.databaseSubnetId
    privateDnsZoneId: network.outputs.databaseDnsZoneId
    databaseName: databaseName
    botIdentityName: identity.name
    botIdentityPrincipalId: identity.properties.principalId
    adminGroupObjectId: databaseAdminGroupObjectId
    adminGroupName: databaseAdminGroupName
    workspaceId: logs.id
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'asp-${prefix}-${suffix}'
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServicePlanSku
  }
  properties: {
    reserved: true
  }
}

// The names below are the variables bot/config.ts reads (infra/azure/appSettings.test.ts checks it).
var botSettings = [
  {
    name: 'NODE_ENV'
    value: 'production'
  }
  {
    name: 'RR_MODE'
    value: 'production'
  }
  {
    name: 'MICROSOFT_APP_ID'
    value: botAppId
  }
  {
    name: 'MICROSOFT_APP_TENANT_ID'
    value: tenant().tenantId
  }
  {
    name: 'MICROSOFT_APP_TYPE'
    value: 'SingleTenant'
  }
  {
    // The certificate and its private key as PEM, read from Key Vault by the web app's managed
    // identity; the bot writes it to a private key file at start-up and derives the thumbprint.
    name: 'MICROSOFT_APP_CERT_PEM'
    value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${botCertificateName})'
  }
  {
    name: 'GRAPH_CREDENTIAL'
    value: 'certificate'
  }
  {
    name: 'STORE'
    value: 'postgres'
  }
  {
    // No password: with DATABASE_AUTH=entra the bot signs in as the managed identity with a token.
    name: 'DATABASE_URL'
    value: 'postgres://${identity.name}@${database.outputs.serverFqdn}:5432/${database.outputs.databaseName}'
  }
  {
    name: 'DATABASE_SSL'
    value: 'true'
  }
  {
    name: 'DATABASE_AUTH'
    value: 'entra'
  }
  {
    name: 'DATABASE_MANAGED_IDENTITY_CLIENT_ID'
    value: identity.properties.clientId
  }
  {
    // The keys that seal subject details and free text in the database, read from Key Vault by the
    // web app's managed identity; never in the template or its parameters.
    name: 'DATA_ENCRYPTION_KEYS'
    value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${dataKeysSecretName})'
  }
  {
    name: 'PROFILE'
    value: profile
  }
  {
    name: 'BUSINESS_UNIT_TEAM_ID'
    value: businessUnitTeamId
  }
  {
    name: 'BUSINESS_UNIT_CHANNEL_ID'
    value: businessUnitChannelId
  }
  {
    name: 'BUSINESS_UNIT_USERS'
    value: businessUnitUsers
  }
  {
    name: 'REVIEW_CHAIR_NAME'
    value: reviewChairName
  }
  {
    name: 'REVIEW_CHAIR_EMAIL'
    value: reviewChairEmail
  }
  {
    name: 'MEETING_ORGANIZER'
    value: meetingOrganizer
  }
  {
    name: 'TEAMS_APP_ID'
    value: teamsAppId
  }
  {
    name: 'LOG_LEVEL'
    value: logLevel
  }
]

var alertHourSetting = [
  {
    name: 'ALERT_HOUR'
    value: alertHour
  }
]

// Read by the platform and by @azure/identity rather than by bot/config.ts.
var platformSettings = [
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${appInsightsSecret.name})'
  }
  {
    name: 'ApplicationInsightsAgent_EXTENSION_VERSION'
    value: '~3'
  }
  {
    // CI builds (npm ci, npm run build, npm prune --omit=dev on Linux x64 with the same Node) and the
    // zip holds the built output, so App Service runs it as it is and builds nothing.
    name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
    value: 'false'
  }
]

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: 'app-${prefix}-${suffix}'
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    virtualNetworkSubnetId: network.outputs.appSubnetId
    siteConfig: {
      linuxFxVersion: nodeRuntime
      appCommandLine: startupCommand
      // The scheduler's tick runs inside the web app; an idle-unloaded app would send no alerts.
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      vnetRouteAllEnabled: true
      appSettings: empty(alertHour) ? concat(botSettings, platformSettings) : concat(botSettings, alertHourSetting, platformSettings)
    }
  }
  dependsOn: [
    botReadsSecrets
  ]
}

resource siteLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: logs.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: 'bot-${prefix}-${suffix}'
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${site.properties.defaultHostName}${messagingPath}'
    // A single-tenant bot for the app registration (its certificate proves it to the Bot Framework).
    msaAppType: 'SingleTenant'
    msaAppId: botAppId
    msaAppTenantId: tenant().tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

@description('MICROSOFT_APP_ID and BOT_ID of the Teams package: the app registration\'s client id.')
output botAppId string = botAppId

@description('Object id of the managed identity (Key Vault and PostgreSQL only; Graph permissions go to the app registration).')
output identityPrincipalId string = identity.properties.principalId

@description('Tenant the bot serves (MICROSOFT_APP_TENANT_ID).')
output tenantId string = tenant().tenantId

@description('BOT_DOMAIN of the Teams package: the web app\'s host name.')
output botDomain string = site.properties.defaultHostName

@description('Name of the web app (for az webapp deploy).')
output webAppName string = site.name

@description('Name of the Azure Bot resource.')
output botName string = bot.name

@description('Name of the Key Vault.')
output keyVaultName string = vault.name

@description('Host name of the PostgreSQL server (private).')
output postgresServerFqdn string = database.outputs.serverFqdn

@description('Name of the PostgreSQL server (for backups and restores).')
output postgresServerName string = database.outputs.serverName

@description('PostgreSQL role the bot signs in as (the managed identity\'s name).')
output databaseUser string = identity.name

@description('Name of the Application Insights resource.')
output appInsightsName string = appInsights.name

@description('Resource id of the Log Analytics workspace.')
output logAnalyticsWorkspaceId string = logs.id
