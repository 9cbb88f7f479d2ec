metadata description = 'FinOps off-hours rights on one resource group, deployed once per group named in offHoursResourceGroups: the DPS FinOps custom role (read, start, stop/deallocate VMs and sites; tag writes through Microsoft.Resources/tags). Nothing outside the group.'

import { roleAssignmentProperties } from 'roles.bicep'

@description('Required. Object id of the DPS managed identity.')
param principalId string

@description('Required. GUID of the DPS FinOps off-hours custom role definition.')
param finOpsRoleId string

resource finOpsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, finOpsRoleId)
  properties: roleAssignmentProperties(principalId, 'ServicePrincipal', finOpsRoleId)
}
