metadata description = 'Key Vault in RBAC mode with purge protection for the DPS secrets (the PII salt). No secret value passes through the template: the postprovision hook generates the salt inside the vault.'

import { allLogsAndMetrics, diagnosticSettingName } from 'diagnostics.bicep'

@description('Required. Key Vault name: 3 to 24 letters, digits and hyphens.')
@minLength(3)
@maxLength(24)
param name string

@description('Optional. Azure region of the vault.')
param location string = resourceGroup().location

@description('Optional. Tags of the vault.')
param tags object = {}

@description('Optional. False when the vault is reached through a private endpoint only.')
param publicNetworkAccess bool = true

@description('Required. Resource id of the Log Analytics workspace that receives the diagnostics.')
param workspaceId string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: publicNetworkAccess ? 'Enabled' : 'Disabled'
    networkAcls: { defaultAction: publicNetworkAccess ? 'Allow' : 'Deny', bypass: 'AzureServices' }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: diagnosticSettingName
  scope: vault
  properties: allLogsAndMetrics(workspaceId)
}

@description('Name of the vault.')
output name string = vault.name

@description('Resource id of the vault.')
output resourceId string = vault.id

@description('Vault URI, e.g. https://kv-x.vault.azure.net/.')
output uri string = vault.properties.vaultUri
