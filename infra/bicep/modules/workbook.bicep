metadata description = 'The Azure Monitor workbook of the line (infra/bicep/workbooks/dps-line.json): executions, failures, Durable outcomes and the app\'s custom metrics, bound to Application Insights.'

@description('Required. Display name of the workbook.')
param displayName string

@description('Optional. Azure region of the workbook.')
param location string = resourceGroup().location

@description('Optional. Tags of the workbook.')
param tags object = {}

@description('Required. Name of the Application Insights component the workbook reads.')
param applicationInsightsName string

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = { name: applicationInsightsName }

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // Workbook resource names must be GUIDs.
  name: guid(resourceGroup().id, displayName)
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: applicationInsights.id
    serializedData: string(loadJsonContent('../workbooks/dps-line.json'))
  }
}

@description('Resource id of the workbook.')
output resourceId string = workbook.id
