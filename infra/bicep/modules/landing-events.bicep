metadata description = 'The Event Grid system topic of the data storage account: on Flex Consumption the landing blob trigger is Event Grid-sourced. The subscription itself needs the blobs extension key, which exists only once the app is deployed, so the azd postdeploy hook (infra/scripts/subscribe-landing-events.sh / .ps1) creates it, with retries and a dead-letter container written with the topic identity.'

import { allLogsAndMetrics, diagnosticSettingName } from 'diagnostics.bicep'

@description('Required. Name of the system topic.')
param name string

@description('Optional. Azure region of the system topic (the storage account\'s).')
param location string = resourceGroup().location

@description('Optional. Tags of the system topic.')
param tags object = {}

@description('Required. Name of the storage account whose blob events the topic publishes.')
param storageAccountName string

@description('Required. Resource id of the Log Analytics workspace that receives the diagnostics.')
param workspaceId string

resource storageAccount 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: name
  location: location
  tags: tags
  // Dead-lettering writes with this identity (Storage Blob Data Contributor on the dead-letter container only).
  identity: { type: 'SystemAssigned' }
  properties: {
    source: storageAccount.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: diagnosticSettingName
  scope: systemTopic
  properties: allLogsAndMetrics(workspaceId)
}

@description('Name of the system topic.')
output name string = systemTopic.name

@description('Object id of the system topic identity (writes dead letters).')
output principalId string = systemTopic.identity.principalId
