metadata description = 'One role on the DPS Key Vault for one principal: the deploying principal\'s secret writer role, which lets the postprovision hook create the PII salt without being able to read it.'

import { roleAssignmentProperties } from 'roles.bicep'

@description('Required. Object id of the principal that receives the role.')
param principalId string

@description('Optional. Kind of principal.')
@allowed(['User', 'ServicePrincipal'])
param principalType string = 'User'

@description('Required. Name of the Key Vault.')
param keyVaultName string

@description('Required. GUID of the role definition (built-in or DPS custom).')
param roleId string

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = { name: keyVaultName }

resource vaultAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, principalId, roleId)
  scope: keyVault
  properties: roleAssignmentProperties(principalId, principalType, roleId)
}
