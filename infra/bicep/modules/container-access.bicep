metadata description = 'One role on one blob container for one service principal: the Event Hubs Capture identity writing into the audit container, the Event Grid system topic writing dead letters.'

import { roleIds, roleAssignmentProperties } from 'roles.bicep'

@description('Required. Object id of the identity that writes into the container.')
param principalId string

@description('Required. Name of the storage account that holds the container.')
param storageAccountName string

@description('Required. Name of the container the role is granted on.')
param containerName string

resource storageAccount 'Microsoft.Storage/storageAccounts@2024-01-01' existing = { name: storageAccountName }

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' existing = { parent: storageAccount, name: 'default' }

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' existing = { parent: blobService, name: containerName }

resource containerAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(container.id, principalId, roleIds.storageBlobDataContributor)
  scope: container
  properties: roleAssignmentProperties(principalId, 'ServicePrincipal', roleIds.storageBlobDataContributor)
}
