metadata description = 'Event Hubs Standard namespace with Entra-only access (no SAS keys), TLS 1.2, and one hub per event stream with a consumer group for its reader.'

@description('One event hub and the consumer group its reader uses.')
type eventHubSpec = {
  @description('Required. Event hub name.')
  name: string

  @description('Required. Number of partitions (1 to 32).')
  @minValue(1)
  @maxValue(32)
  partitionCount: int

  @description('Required. Consumer group of the reader of this hub.')
  consumerGroup: string
}

@description('Required. Namespace name: 6 to 50 letters, digits and hyphens, starting with a letter.')
param name string

@description('Optional. Azure region of the namespace.')
param location string = resourceGroup().location

@description('Optional. Tags of the namespace.')
param tags object = {}

@description('Optional. Throughput units of the Standard tier (Basic has no custom consumer groups, so it is not offered).')
@minValue(1)
@maxValue(20)
param capacity int = 1

@description('Required. The hubs to create, each with the consumer group of its reader.')
param hubs eventHubSpec[]

@description('Optional. Hours every hub keeps events (Standard tier: 1 to 168).')
@minValue(1)
@maxValue(168)
param retentionHours int = 24

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard', capacity: capacity }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    isAutoInflateEnabled: false
  }
}

resource eventHubs 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = [for hub in hubs: {
  parent: namespace
  name: hub.name
  properties: {
    partitionCount: hub.partitionCount
    retentionDescription: { cleanupPolicy: 'Delete', retentionTimeInHours: retentionHours }
  }
}]

resource consumerGroups 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = [for (hub, i) in hubs: {
  parent: eventHubs[i]
  name: hub.consumerGroup
}]

output name string = namespace.name
// serviceBusEndpoint is https://<namespace>.servicebus.windows.net:443/ in every cloud; keep the host only.
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0]
