metadata description = 'FinOps off-hours rights on one resource group, deployed once per group named in offHoursResourceGroups: stop/start web apps and VMs, and read (Resource Graph inventory). Nothing outside the group.'

import { roleIds, roleAssignmentProperties } from 'roles.bicep'

@description('Required. Object id of the DPS managed identity.')
param principalId string

var finOpsRoles = [roleIds.websiteContributor, roleIds.virtualMachineContributor, roleIds.reader]

resource finOpsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in finOpsRoles: {
  name: guid(resourceGroup().id, principalId, roleId)
  properties: roleAssignmentProperties(principalId, 'ServicePrincipal', roleId)
}]
