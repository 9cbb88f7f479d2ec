metadata description = 'Least-privilege data-plane roles for one principal, each scoped to the single resource it is for: host storage (blob, queue, table: Functions and Durable state), data storage (blob, table), each event hub (send, receive), Application Insights (publish telemetry), and when named the Key Vault (read secrets) and the Durable Task Scheduler.'

import { roleIds, roleAssignmentProperties } from 'roles.bicep'

@description('Required. Object id of the principal that receives the roles.')
param principalId string

@description('Optional. Kind of principal: ServicePrincipal for the managed identity, User for a developer.')
@allowed(['ServicePrincipal', 'User'])
param principalType string = 'ServicePrincipal'

@description('Required. Name of the host storage account (AzureWebJobsStorage: host and Durable state).')
param hostStorageAccountName string

@description('Required. Name of the data storage account (medallion containers, registry, lineage, audit).')
param dataStorageAccountName string

@description('Required. Name of the DPS Event Hubs namespace.')
param eventHubNamespaceName string

@description('Required. Event hubs the principal sends to and receives from; each role is granted on the hub, not the namespace.')
param eventHubNames string[]

@description('Required. Name of the DPS Application Insights component.')
param applicationInsightsName string

@description('Optional. Name of the Key Vault whose secrets the principal reads; empty grants nothing there.')
param keyVaultName string = ''

@description('Optional. Name of the Durable Task Scheduler; empty when the Azure Storage provider is used.')
param durableTaskSchedulerName string = ''

// Blob Data Owner on host storage, as the Functions host documentation asks for AzureWebJobsStorage.
var hostStorageRoles = [roleIds.storageBlobDataOwner, roleIds.storageQueueDataContributor, roleIds.storageTableDataContributor]
var dataStorageRoles = [roleIds.storageBlobDataContributor, roleIds.storageTableDataContributor]
var eventHubRoles = [roleIds.eventHubsDataSender, roleIds.eventHubsDataReceiver]

resource hostStorageAccount 'Microsoft.Storage/storageAccounts@2024-01-01' existing = { name: hostStorageAccountName }

resource dataStorageAccount 'Microsoft.Storage/storageAccounts@2024-01-01' existing = { name: dataStorageAccountName }

resource eventHubNamespace 'Microsoft.EventHub/namespaces@2024-01-01' existing = { name: eventHubNamespaceName }

resource eventHubs 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' existing = [for hub in eventHubNames: {
  parent: eventHubNamespace
  name: hub
}]

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = { name: applicationInsightsName }

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = if (!empty(keyVaultName)) { name: keyVaultName }

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' existing = if (!empty(durableTaskSchedulerName)) {
  name: durableTaskSchedulerName
}

resource hostStorageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in hostStorageRoles: {
  name: guid(hostStorageAccount.id, principalId, roleId)
  scope: hostStorageAccount
  properties: roleAssignmentProperties(principalId, principalType, roleId)
}]

resource dataStorageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in dataStorageRoles: {
  name: guid(dataStorageAccount.id, principalId, roleId)
  scope: dataStorageAccount
  properties: roleAssignmentProperties(principalId, principalType, roleId)
}]

// One assignment per (hub, role): index i is hub i / 2 with role i % 2.
resource eventHubAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in range(0, length(eventHubNames) * length(eventHubRoles)): {
  name: guid(eventHubs[i / length(eventHubRoles)].id, principalId, eventHubRoles[i % length(eventHubRoles)])
  scope: eventHubs[i / length(eventHubRoles)]
  properties: roleAssignmentProperties(principalId, principalType, eventHubRoles[i % length(eventHubRoles)])
}]

resource telemetryAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, principalId, roleIds.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: roleAssignmentProperties(principalId, principalType, roleIds.monitoringMetricsPublisher)
}

resource secretAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(keyVaultName)) {
  name: guid(keyVault.id, principalId, roleIds.keyVaultSecretsUser)
  scope: keyVault
  properties: roleAssignmentProperties(principalId, principalType, roleIds.keyVaultSecretsUser)
}

resource schedulerAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(durableTaskSchedulerName)) {
  name: guid(scheduler.id, principalId, roleIds.durableTaskDataContributor)
  scope: scheduler
  properties: roleAssignmentProperties(principalId, principalType, roleIds.durableTaskDataContributor)
}
