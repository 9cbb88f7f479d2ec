metadata description = 'The private network option (vnetEnabled): a VNet with a subnet for Flex Consumption VNet integration and one for private endpoints, the private DNS zones linked to it, and one private endpoint per target (storage services, Event Hubs, Key Vault, Durable Task Scheduler).'

import { metricsOnly, diagnosticSettingName } from 'diagnostics.bicep'

@description('One private endpoint: the resource, its private link group and the DNS zone its records go to.')
type privateEndpointSpec = {
  @description('Required. Short name, unique in the deployment (part of the endpoint name).')
  name: string

  @description('Required. Resource id of the target resource.')
  resourceId: string

  @description('Required. Private link group id, e.g. blob, queue, table, namespace, vault, scheduler.')
  groupId: string

  @description('Required. Private DNS zone name, e.g. privatelink.blob.core.windows.net.')
  zone: string
}

@description('Required. Virtual network name.')
param name string

@description('Required. Prefix of the private endpoint names.')
param privateEndpointPrefix string

@description('Optional. Azure region of the network.')
param location string = resourceGroup().location

@description('Optional. Tags of the network resources.')
param tags object = {}

@description('Optional. Address space of the VNet.')
param addressPrefix string = '10.40.0.0/16'

@description('Optional. Subnet for the Function App (delegated to Microsoft.App/environments, as Flex Consumption requires).')
param appSubnetPrefix string = '10.40.1.0/24'

@description('Optional. Subnet for the private endpoints.')
param privateEndpointSubnetPrefix string = '10.40.2.0/24'

@description('Required. Private endpoints to create.')
param privateEndpoints privateEndpointSpec[]

@description('Required. Resource id of the Log Analytics workspace that receives the diagnostics.')
param workspaceId string

var zones = union(map(privateEndpoints, endpoint => endpoint.zone), [])

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [addressPrefix] }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [{ name: 'flex', properties: { serviceName: 'Microsoft.App/environments' } }]
        }
      }
      {
        name: 'private-endpoints'
        properties: { addressPrefix: privateEndpointSubnetPrefix, privateEndpointNetworkPolicies: 'Disabled' }
      }
    ]
  }
}

resource dnsZones 'Microsoft.Network/privateDnsZones@2024-06-01' = [for zone in zones: {
  name: zone
  location: 'global'
  tags: tags
}]

resource dnsLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [for (zone, i) in zones: {
  parent: dnsZones[i]
  name: '${name}-link'
  location: 'global'
  tags: tags
  properties: { virtualNetwork: { id: vnet.id }, registrationEnabled: false }
}]

resource endpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [for endpoint in privateEndpoints: {
  name: '${privateEndpointPrefix}${endpoint.name}'
  location: location
  tags: tags
  properties: {
    subnet: { id: vnet.properties.subnets[1].id }
    privateLinkServiceConnections: [
      { name: endpoint.name, properties: { privateLinkServiceId: endpoint.resourceId, groupIds: [endpoint.groupId] } }
    ]
  }
}]

resource endpointDns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [for (endpoint, i) in privateEndpoints: {
  parent: endpoints[i]
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [{ name: replace(endpoint.zone, '.', '-'), properties: { privateDnsZoneId: dnsZones[indexOf(zones, endpoint.zone)].id } }]
  }
  dependsOn: [dnsLinks]
}]

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: diagnosticSettingName
  scope: vnet
  properties: metricsOnly(workspaceId)
}

@description('Resource id of the subnet the Function App integrates with.')
output appSubnetId string = vnet.properties.subnets[0].id
