metadata description = 'One DPS storage account (identity-only access, TLS 1.2, HTTPS only, no public blobs) with its containers, queues and tables; optionally data protection (versioning, change feed, point-in-time restore), a time-based WORM policy on one container and a delete lock. Deployed three times: host state, data, deployment package.'

import { allLogsAndMetrics, metricsOnly, diagnosticSettingName } from 'diagnostics.bicep'

@description('Required. Storage account name: 3 to 24 lowercase letters and digits.')
@minLength(3)
@maxLength(24)
param name string

@description('Optional. Azure region of the account.')
param location string = resourceGroup().location

@description('Optional. Tags of the account.')
param tags object = {}

@description('Optional. Replication SKU of the account.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS'])
param skuName string = 'Standard_LRS'

@description('Optional. Blob containers to create.')
param containerNames string[] = []

@description('Optional. Storage queues to create.')
param queueNames string[] = []

@description('Optional. Tables to create.')
param tableNames string[] = []

@description('Optional. Container that gets the time-based immutability (WORM) policy; empty for none.')
param immutableContainerName string = ''

@description('Optional. Days each blob of the immutable container stays immutable after it is written.')
@minValue(1)
@maxValue(146000)
param immutabilityDays int = 365

@description('Optional. True once the WORM policy has been locked: a locked policy only accepts an extend, so the template leaves it alone.')
param immutabilityLocked bool = false

@description('Optional. Blob versioning, change feed and point-in-time restore (the data account); soft delete applies to every account.')
param dataProtection bool = false

@description('Optional. Days deleted blobs and containers are kept (soft delete); point-in-time restore reaches one day less.')
@minValue(2)
@maxValue(365)
param softDeleteDays int = 7

@description('Optional. A CanNotDelete lock on the account.')
param deleteLock bool = false

@description('Optional. False when the account is reached through private endpoints only.')
param publicNetworkAccess bool = true

@description('Required. Resource id of the Log Analytics workspace that receives the diagnostics.')
param workspaceId string

resource storageAccount 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: skuName }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: publicNetworkAccess ? 'Enabled' : 'Disabled'
    networkAcls: { defaultAction: publicNetworkAccess ? 'Allow' : 'Deny', bypass: 'AzureServices' }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storageAccount
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: true, days: softDeleteDays }
    containerDeleteRetentionPolicy: { enabled: true, days: softDeleteDays }
    isVersioningEnabled: dataProtection
    changeFeed: dataProtection ? { enabled: true, retentionInDays: softDeleteDays } : { enabled: false }
    // Restore must reach back less far than soft delete keeps blobs.
    restorePolicy: dataProtection ? { enabled: true, days: softDeleteDays - 1 } : { enabled: false }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = [for containerName in containerNames: {
  parent: blobService
  name: containerName
  properties: { publicAccess: 'None' }
}]

resource immutableContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' existing = if (!empty(immutableContainerName)) {
  parent: blobService
  name: immutableContainerName
}

// Created unlocked; after `az storage container immutability-policy lock` set immutabilityLocked, because a locked
// policy rejects this PUT (only an extend is allowed, see docs/deploy.md).
resource immutabilityPolicy 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2024-01-01' = if (!empty(immutableContainerName) && !immutabilityLocked) {
  parent: immutableContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: immutabilityDays
    allowProtectedAppendWrites: true
  }
  dependsOn: [containers]
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = { parent: storageAccount, name: 'default' }

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = [for queueName in queueNames: { parent: queueService, name: queueName }]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = { parent: storageAccount, name: 'default' }

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [for tableName in tableNames: { parent: tableService, name: tableName }]

resource lock 'Microsoft.Authorization/locks@2020-05-01' = if (deleteLock) {
  name: '${name}-no-delete'
  scope: storageAccount
  properties: { level: 'CanNotDelete', notes: 'DPS data: remove deliberately (deleteLock = false) before deleting the account.' }
}

resource accountDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: diagnosticSettingName
  scope: storageAccount
  properties: metricsOnly(workspaceId)
}

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: diagnosticSettingName
  scope: blobService
  properties: allLogsAndMetrics(workspaceId)
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: diagnosticSettingName
  scope: queueService
  properties: allLogsAndMetrics(workspaceId)
}

resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: diagnosticSettingName
  scope: tableService
  properties: allLogsAndMetrics(workspaceId)
}

@description('Name of the storage account.')
output name string = storageAccount.name

@description('Resource id of the storage account.')
output resourceId string = storageAccount.id

@description('Blob service endpoint, ending in a slash.')
output blobEndpoint string = storageAccount.properties.primaryEndpoints.blob

@description('Queue service endpoint, ending in a slash.')
output queueEndpoint string = storageAccount.properties.primaryEndpoints.queue

@description('Table service endpoint, ending in a slash.')
output tableEndpoint string = storageAccount.properties.primaryEndpoints.table
