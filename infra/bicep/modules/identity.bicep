metadata description = 'A user-assigned managed identity: the Function App runtime identity, the deployment-package identity, or the Event Hubs Capture identity.'

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

@description('Resource id of the identity.')
output resourceId string = identity.id

@description('Client (application) id of the identity.')
output clientId string = identity.properties.clientId

@description('Object (principal) id of the identity.')
output principalId string = identity.properties.principalId
