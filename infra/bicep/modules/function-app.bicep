metadata description = 'Flex Consumption (FC1) plan and the DPS Function App: Node.js 22, a runtime identity and a separate deployment identity, the package pulled from its own storage account, always-ready instances for the Durable group, optional VNet integration, Easy Auth (Microsoft Entra ID) for people, basic publishing credentials off, diagnostics to Log Analytics.'

import { allLogsAndMetrics, metricsOnly, diagnosticSettingName } from 'diagnostics.bicep'

@description('Required. Function App name.')
param name string

@description('Required. Flex Consumption plan name.')
param planName string

@description('Optional. Azure region of the plan and the app.')
param location string = resourceGroup().location

@description('Optional. Tags of the plan and the app; the app also gets azd-service-name.')
param tags object = {}

@description('Optional. azd service this app hosts (value of the azd-service-name tag).')
param serviceName string = 'api'

@description('Required. Resource id of the user-assigned identity the app code runs as (data roles, Key Vault references).')
param identityId string

@description('Required. Resource id of the user-assigned identity that reads and writes the deployment package, and nothing else.')
param deploymentIdentityId string

@description('Required. URL of the blob container that holds the deployment package.')
param deploymentContainerUrl string

@description('Optional. Memory of each instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Optional. Most instances the app may scale out to; at least durableAlwaysReadyInstances (main.bicep enforces it).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Optional. Always-ready instances of the Durable Functions group (durable); 0 scales it to zero.')
@minValue(0)
@maxValue(20)
param durableAlwaysReadyInstances int = 1

@description('Required. App settings (names to values); identity-based connections and Key Vault references only.')
param appSettings object

@description('Optional. Resource id of the subnet (delegated to Microsoft.App/environments) for VNet integration; empty for none.')
param virtualNetworkSubnetId string = ''

@description('Optional. Client id of the Microsoft Entra app registration people sign in with (Easy Auth); empty leaves Easy Auth off.')
param authClientId string = ''

@description('Optional. Tenant of the Entra app registration.')
param authTenantId string = tenant().tenantId

@description('Required. Resource id of the Log Analytics workspace that receives the diagnostics.')
param workspaceId string

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {}, '${deploymentIdentityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    siteConfig: { minTlsVersion: '1.2', ftpsState: 'Disabled' }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: deploymentIdentityId }
        }
      }
      runtime: { name: 'node', version: '22' }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: durableAlwaysReadyInstances > 0 ? [{ name: 'durable', instanceCount: durableAlwaysReadyInstances }] : []
      }
    }
  }
}

resource settings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: appSettings
}

// azd deploys with an Entra token (one deploy); nobody needs the basic SCM or FTP publishing credentials.
resource publishingCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = [for endpoint in ['scm', 'ftp']: {
  parent: functionApp
  name: endpoint
  properties: { allow: false }
}]

// People sign in with Entra ID; the platform validates the token and passes x-ms-client-principal to the app (it strips
// that header from incoming requests). Anonymous requests still reach the app, where function keys guard machine routes.
// The client secret is a federated credential of the runtime identity (OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID), not a secret.
resource authentication 'Microsoft.Web/sites/config@2024-11-01' = if (!empty(authClientId)) {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true, runtimeVersion: '~1' }
    globalValidation: { requireAuthentication: false, unauthenticatedClientAction: 'AllowAnonymous' }
    httpSettings: { requireHttps: true }
    login: { tokenStore: { enabled: false } }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          clientSecretSettingName: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID'
          openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
        }
        validation: { allowedAudiences: ['api://${authClientId}', authClientId] }
      }
    }
  }
  dependsOn: [settings]
}

resource appDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: diagnosticSettingName
  scope: functionApp
  properties: allLogsAndMetrics(workspaceId)
}

resource planDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: diagnosticSettingName
  scope: plan
  properties: metricsOnly(workspaceId)
}

@description('Name of the Function App.')
output name string = functionApp.name

@description('Resource id of the Function App.')
output resourceId string = functionApp.id

@description('HTTPS base URL of the Function App.')
output uri string = 'https://${functionApp.properties.defaultHostName}'
