metadata description = 'Event Hubs Standard namespace with Entra-only access (no SAS keys), TLS 1.2, one hub per event stream with a consumer group for its reader, optional Capture of a hub into a blob container (the WORM audit container), diagnostics to Log Analytics.'

import { allLogsAndMetrics, diagnosticSettingName } from 'diagnostics.bicep'

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

  @description('Required. Hours the hub keeps events (Standard tier: 1 to 168).')
  @minValue(1)
  @maxValue(168)
  retentionHours: int

  @description('Required. Whether Event Hubs Capture copies the hub into the capture container.')
  capture: bool
}

@description('Required. Namespace name: 6 to 50 letters, digits and hyphens, starting with a letter.')
param name string

@description('Optional. Azure region of the namespace.')
param location string = resourceGroup().location

@description('Optional. Tags of the namespace.')
param tags object = {}

@description('Optional. Throughput units of the Standard tier (Basic has no custom consumer groups and no Capture, so it is not offered).')
@minValue(1)
@maxValue(20)
param capacity int = 1

@description('Required. The hubs to create, each with the consumer group of its reader.')
param hubs eventHubSpec[]

@description('Optional. Resource id of the storage account Capture writes to; required when a hub has capture.')
param captureStorageAccountId string = ''

@description('Optional. Resource id of the user-assigned identity Capture writes with; it must hold Storage Blob Data Contributor on the capture container before the hubs are created.')
param captureIdentityId string = ''

@description('Optional. Container Capture writes to.')
param captureContainerName string = 'audit'

@description('Optional. False when the namespace is reached through a private endpoint only.')
param publicNetworkAccess bool = true

@description('Required. Resource id of the Log Analytics workspace that receives the diagnostics.')
param workspaceId string

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard', capacity: capacity }
  // Capture writes with this identity (Storage Blob Data Contributor on the capture container only).
  identity: empty(captureIdentityId) ? null : { type: 'UserAssigned', userAssignedIdentities: { '${captureIdentityId}': {} } }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: publicNetworkAccess ? 'Enabled' : 'Disabled'
    isAutoInflateEnabled: false
  }
}

resource eventHubs 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = [for hub in hubs: {
  parent: namespace
  name: hub.name
  properties: {
    partitionCount: hub.partitionCount
    retentionDescription: { cleanupPolicy: 'Delete', retentionTimeInHours: hub.retentionHours }
    captureDescription: hub.capture ? {
      enabled: true
      encoding: 'Avro'
      intervalInSeconds: 300
      sizeLimitInBytes: 314572800
      skipEmptyArchives: true
      destination: {
        name: 'EventHubArchive.AzureBlockBlob'
        identity: { type: 'UserAssigned', userAssignedIdentity: captureIdentityId }
        properties: {
          storageAccountResourceId: captureStorageAccountId
          blobContainer: captureContainerName
          archiveNameFormat: 'capture/{Namespace}/{EventHub}/{PartitionId}/{Year}/{Month}/{Day}/{Hour}/{Minute}/{Second}'
        }
      }
    } : null
  }
}]

resource consumerGroups 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = [for (hub, i) in hubs: {
  parent: eventHubs[i]
  name: hub.consumerGroup
}]

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: diagnosticSettingName
  scope: namespace
  properties: allLogsAndMetrics(workspaceId)
}

@description('Name of the namespace.')
output name string = namespace.name

@description('Resource id of the namespace.')
output resourceId string = namespace.id

// serviceBusEndpoint is https://<namespace>.servicebus.windows.net:443/ in every cloud; keep the host only.
@description('Fully qualified namespace host name, e.g. evhns-x.servicebus.windows.net.')
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0]
