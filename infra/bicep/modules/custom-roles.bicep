targetScope = 'subscription'

metadata description = 'The DPS custom role definitions: FinOps off-hours (assignable in the named resource groups only) and the Key Vault secret writer (assignable in the DPS resource group only).'

import { finOpsActions, secretWriterDataActions } from 'roles.bicep'

@description('Required. Name of the azd environment; role names are unique per tenant, so it is part of them.')
param environmentName string

@description('Required. Name of the DPS resource group, where the secret writer role may be assigned.')
param resourceGroupName string

@description('Optional. Resource groups FinOps may act on; empty creates no FinOps role.')
param offHoursResourceGroups string[] = []

resource finOpsRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (!empty(offHoursResourceGroups)) {
  name: guid(subscription().id, environmentName, 'dps-finops-offhours')
  properties: {
    roleName: 'DPS FinOps off-hours (${environmentName})'
    description: 'Start, stop and deallocate tagged VMs and web apps, and write their off-hours tags through the Tags API.'
    type: 'CustomRole'
    permissions: [{ actions: finOpsActions, notActions: [], dataActions: [], notDataActions: [] }]
    assignableScopes: [for groupName in offHoursResourceGroups: subscriptionResourceId('Microsoft.Resources/resourceGroups', groupName)]
  }
}

resource secretWriterRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, environmentName, 'dps-secret-writer')
  properties: {
    roleName: 'DPS Key Vault secret writer (${environmentName})'
    description: 'Creates secret versions and reads secret metadata; cannot read a secret value.'
    type: 'CustomRole'
    permissions: [{ actions: [], notActions: [], dataActions: secretWriterDataActions, notDataActions: [] }]
    assignableScopes: [subscriptionResourceId('Microsoft.Resources/resourceGroups', resourceGroupName)]
  }
}

@description('GUID of the FinOps off-hours role; empty when no resource group is named.')
output finOpsRoleId string = empty(offHoursResourceGroups) ? '' : finOpsRole.name

@description('GUID of the secret writer role.')
output secretWriterRoleId string = secretWriterRole.name
