metadata description = 'Log Analytics workspace (the target of every diagnostic setting) and workspace-based Application Insights that accepts Microsoft Entra (AAD) authenticated telemetry only.'

import { allLogsAndMetrics, diagnosticSettingName } from 'diagnostics.bicep'

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

// Workspace-based Application Insights already stores its telemetry in the workspace: no diagnostic setting of its own.
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

// The workspace's own audit log (queries, daily-cap events) goes to itself.
resource workspaceDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: diagnosticSettingName
  scope: workspace
  properties: allLogsAndMetrics(workspace.id)
}

@description('Resource id of the Log Analytics workspace.')
output workspaceId string = workspace.id

@description('Name of the Application Insights component.')
output applicationInsightsName string = applicationInsights.name

// An identifier, not a secret: with local auth disabled, ingestion needs an Entra token (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).
@description('Application Insights connection string (an endpoint identifier; ingestion needs an Entra token).')
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString
