metadata description = 'The Event Grid system topic of the storage account: on Flex Consumption the landing blob trigger is Event Grid-sourced. The subscription itself needs the blobs extension key, which exists only once the app is deployed, so the azd postdeploy hook (infra/scripts/subscribe-landing-events.sh) creates it.'

@description('Required. Name of the system topic.')
param name string

@description('Optional. Azure region of the system topic (the storage account\'s).')
param location string = resourceGroup().location

@description('Optional. Tags of the system topic.')
param tags object = {}

@description('Required. Name of the storage account whose blob events the topic publishes.')
param storageAccountName string

resource storageAccount 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    source: storageAccount.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = systemTopic.name
