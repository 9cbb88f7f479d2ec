metadata description = 'The DPS storage account (identity-only access, TLS 1.2, HTTPS only, no public blobs) with its blob containers, queues and tables, and a time-based immutability (WORM) policy on the audit container.'

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

@description('Required. Blob containers to create; must include auditContainerName.')
param containerNames string[]

@description('Optional. Storage queues to create.')
param queueNames string[] = []

@description('Required. Tables to create.')
param tableNames string[]

@description('Optional. Container that holds the audit chain segments and gets the WORM policy.')
param auditContainerName string = 'audit'

@description('Required. Days each blob of the audit container stays immutable after it is written.')
@minValue(1)
@maxValue(146000)
param auditRetentionDays int

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
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storageAccount
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: true, days: 7 }
    containerDeleteRetentionPolicy: { enabled: true, days: 7 }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = [for containerName in containerNames: {
  parent: blobService
  name: containerName
  properties: { publicAccess: 'None' }
}]

resource auditContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' existing = {
  parent: blobService
  name: auditContainerName
}

// Unlocked on purpose: lock it (az storage container immutability-policy lock) once the retention is final; see docs/deploy.md.
resource auditRetention 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2024-01-01' = {
  parent: auditContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: auditRetentionDays
    allowProtectedAppendWrites: true
  }
  dependsOn: [containers]
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = { parent: storageAccount, name: 'default' }

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = [for queueName in queueNames: { parent: queueService, name: queueName }]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = { parent: storageAccount, name: 'default' }

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [for tableName in tableNames: { parent: tableService, name: tableName }]

output name string = storageAccount.name
output blobEndpoint string = storageAccount.properties.primaryEndpoints.blob
output queueEndpoint string = storageAccount.properties.primaryEndpoints.queue
output tableEndpoint string = storageAccount.properties.primaryEndpoints.table
