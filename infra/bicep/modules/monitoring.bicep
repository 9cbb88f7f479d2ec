metadata description = 'Log Analytics workspace and workspace-based Application Insights that accepts Microsoft Entra (AAD) authenticated telemetry only.'

@description('Required. Name of the Log Analytics workspace.')
param workspaceName string

@description('Required. Name of the Application Insights component.')
param applicationInsightsName string

@description('Optional. Azure region of both resources.')
param location string = resourceGroup().location

@description('Optional. Tags of both resources.')
param tags object = {}

@description('Optional. Days the workspace keeps data.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

@description('Optional. Daily ingestion cap of the workspace in GB; -1 means no cap.')
@minValue(-1)
param dailyCapGb int = 1

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
    workspaceCapping: { dailyQuotaGb: dailyCapGb }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: true
  }
}

output applicationInsightsName string = applicationInsights.name
// An identifier, not a secret: with local auth disabled, ingestion needs an Entra token (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString
