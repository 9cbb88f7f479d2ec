metadata description = 'The user-assigned managed identity the Function App uses for every data-plane call (storage, Event Hubs, Application Insights, Durable Task Scheduler, ARM).'

@description('Required. Name of the managed identity.')
param name string

@description('Optional. Azure region of the identity.')
param location string = resourceGroup().location

@description('Optional. Tags of the identity.')
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output resourceId string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
