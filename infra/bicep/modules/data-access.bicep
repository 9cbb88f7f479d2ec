metadata description = 'Least-privilege data-plane roles for one principal, each scoped to the single resource it is for: storage (blob, queue, table), Event Hubs (send, receive), Application Insights (publish telemetry) and, when present, the Durable Task Scheduler.'

import { roleIds, roleAssignmentProperties } from 'roles.bicep'

@description('Required. Object id of the principal that receives the roles.')
param principalId string

@description('Optional. Kind of principal: ServicePrincipal for the managed identity, User for a developer.')
@allowed(['ServicePrincipal', 'User'])
param principalType string = 'ServicePrincipal'

@description('Required. Name of the DPS storage account.')
param storageAccountName string

@description('Required. Name of the DPS Event Hubs namespace.')
param eventHubNamespaceName string

@description('Required. Name of the DPS Application Insights component.')
param applicationInsightsName string

@description('Optional. Name of the Durable Task Scheduler; empty when the Azure Storage provider is used.')
param durableTaskSchedulerName string = ''

var storageRoles = [roleIds.storageBlobDataOwner, roleIds.storageQueueDataContributor, roleIds.storageTableDataContributor]
var eventHubRoles = [roleIds.eventHubsDataSender, roleIds.eventHubsDataReceiver]

resource storageAccount 'Microsoft.Storage/storageAccounts@2024-01-01' existing = { name: storageAccountName }

resource eventHubNamespace 'Microsoft.EventHub/namespaces@2024-01-01' existing = { name: eventHubNamespaceName }

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = { name: applicationInsightsName }

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' existing = if (!empty(durableTaskSchedulerName)) {
  name: durableTaskSchedulerName
}

resource storageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in storageRoles: {
  name: guid(storageAccount.id, principalId, roleId)
  scope: storageAccount
  properties: roleAssignmentProperties(principalId, principalType, roleId)
}]

resource eventHubAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in eventHubRoles: {
  name: guid(eventHubNamespace.id, principalId, roleId)
  scope: eventHubNamespace
  properties: roleAssignmentProperties(principalId, principalType, roleId)
}]

resource telemetryAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, principalId, roleIds.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: roleAssignmentProperties(principalId, principalType, roleIds.monitoringMetricsPublisher)
}

resource schedulerAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(durableTaskSchedulerName)) {
  name: guid(scheduler.id, principalId, roleIds.durableTaskDataContributor)
  scope: scheduler
  properties: roleAssignmentProperties(principalId, principalType, roleIds.durableTaskDataContributor)
}
