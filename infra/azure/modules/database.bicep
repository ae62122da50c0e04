// Azure Database for PostgreSQL flexible server, version 16, reachable only from the private network,
// with Microsoft Entra authentication only (no passwords exist to leak or rotate).

@description('Azure region of the server.')
param location string

@description('Server name (3-63 lower-case letters, digits and hyphens; unique in Azure).')
param serverName string

@description('Tags applied to every resource.')
param tags object

@description('Compute SKU, e.g. Standard_B1ms (Burstable) or Standard_D2ds_v5 (GeneralPurpose).')
param skuName string

@description('Compute tier matching skuName: Burstable, GeneralPurpose or MemoryOptimized.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param skuTier string

@description('Storage size in GiB.')
param storageSizeGB int

@description('Days of point-in-time restore (7-35).')
@minValue(7)
@maxValue(35)
param backupRetentionDays int

@description('Copy backups to the paired region (UK West for UK South).')
param geoRedundantBackup bool

@description('Subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers.')
param delegatedSubnetId string

@description('Private DNS zone linked to the network.')
param privateDnsZoneId string

@description('Name of the database the bot uses.')
param databaseName string

@description('Name of the bot\'s user-assigned managed identity (its PostgreSQL role name).')
param botIdentityName string

@description('Object id of the bot identity\'s service principal.')
param botIdentityPrincipalId string

@description('Object id of an Entra group of human database administrators; empty for none.')
param adminGroupObjectId string

@description('Display name of that group.')
param adminGroupName string

@description('Log Analytics workspace receiving the server logs.')
param workspaceId string

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: serverName
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: '16'
    createMode: 'Default'
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: backupRetentionDays
      geoRedundantBackup: geoRedundantBackup ? 'Enabled' : 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      delegatedSubnetResourceId: delegatedSubnetId
      privateDnsZoneArmResourceId: privateDnsZoneId
      publicNetworkAccess: 'Disabled'
    }
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: tenant().tenantId
    }
  }
}

// The bot's identity is an Entra administrator so that it can run its own schema migrations at
// start-up. docs/deploy.md describes narrowing it to a role that owns only its database.
resource botAdministrator 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = {
  parent: server
  name: botIdentityPrincipalId
  properties: {
    principalType: 'ServicePrincipal'
    principalName: botIdentityName
    tenantId: tenant().tenantId
  }
}

// The server accepts one change at a time, so each child waits for the one before it.
resource groupAdministrator 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = if (!empty(adminGroupObjectId)) {
  parent: server
  name: empty(adminGroupObjectId) ? 'unused' : adminGroupObjectId
  properties: {
    principalType: 'Group'
    principalName: adminGroupName
    tenantId: tenant().tenantId
  }
  dependsOn: [
    botAdministrator
  ]
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [
    botAdministrator
    groupAdministrator
  ]
}

resource serverLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: server
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'PostgreSQLLogs'
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

@description('Host name of the server (resolves privately inside the network).')
output serverFqdn string = server.properties.fullyQualifiedDomainName

@description('Name of the server.')
output serverName string = server.name

@description('Name of the bot\'s database.')
output databaseName string = database.name
