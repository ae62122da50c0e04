// The private network that keeps the database off the internet: the web app reaches PostgreSQL
// through VNet integration, and the server's name resolves through a private DNS zone.

@description('Azure region of the network.')
param location string

@description('Short lower-case name prefix shared by all resources.')
param namePrefix string

@description('Tags applied to every resource.')
param tags object

@description('Address space of the virtual network.')
param addressPrefix string

@description('Subnet for App Service VNet integration (at least /28; /26 recommended for scaling out).')
param appSubnetPrefix string

@description('Subnet delegated to PostgreSQL flexible server (private access).')
param databaseSubnetPrefix string

resource vnet 'Microsoft.Network/virtualNetworks@2024-01-01' = {
  name: 'vnet-${namePrefix}'
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [
            {
              name: 'web-server-farms'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
        }
      }
      {
        name: 'database'
        properties: {
          addressPrefix: databaseSubnetPrefix
          delegations: [
            {
              name: 'postgres-flexible-servers'
              properties: {
                serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'
              }
            }
          ]
        }
      }
    ]
  }
}

// A flexible server with private access needs a private DNS zone whose name ends in
// .postgres.database.azure.com, linked to the network its clients resolve names in.
resource databaseDns 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: '${namePrefix}.private.postgres.database.azure.com'
  location: 'global'
  tags: tags
}

resource databaseDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: databaseDns
  name: 'link-${vnet.name}'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

@description('Subnet the web app joins (VNet integration).')
output appSubnetId string = '${vnet.id}/subnets/app'

@description('Subnet delegated to the PostgreSQL server.')
output databaseSubnetId string = '${vnet.id}/subnets/database'

@description('Private DNS zone of the PostgreSQL server (linked to the network).')
output databaseDnsZoneId string = databaseDns.id
