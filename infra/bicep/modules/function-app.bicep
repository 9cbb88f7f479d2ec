metadata description = 'Flex Consumption (FC1) plan and the DPS Function App: Node.js 22, user-assigned identity, deployment package pulled with that identity, always-ready instances for the Durable group.'

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

@description('Required. Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Required. URL of the blob container that holds the deployment package.')
param deploymentContainerUrl string

@description('Optional. Memory of each instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Optional. Most instances the app may scale out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Optional. Always-ready instances of the Durable Functions group (durable); 0 scales it to zero.')
@minValue(0)
@maxValue(20)
param durableAlwaysReadyInstances int = 1

@description('Required. App settings (names to values); identity-based connections only.')
param appSettings object

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
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: { minTlsVersion: '1.2', ftpsState: 'Disabled' }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
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

output name string = functionApp.name
output uri string = 'https://${functionApp.properties.defaultHostName}'
