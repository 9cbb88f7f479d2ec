metadata description = 'Action group (email) and the Application Insights based alerts: failed function executions, HTTP 5xx responses, and scoring latency.'

@description('Required. Prefix of the alert rule names.')
param namePrefix string

@description('Optional. Azure region of the log alert rule (metric alerts and action groups are global).')
param location string = resourceGroup().location

@description('Optional. Tags of the alert resources.')
param tags object = {}

@description('Required. Email address that receives the alerts.')
param alertEmail string

@description('Required. Name of the Application Insights component the alerts watch.')
param applicationInsightsName string

@description('Optional. Failed executions in 15 minutes above which the failures alert fires.')
@minValue(0)
param failedRequestsThreshold int = 5

@description('Optional. HTTP 5xx responses in 15 minutes above which the 5xx alert fires.')
@minValue(0)
param http5xxThreshold int = 0

@description('Optional. Name of the HTTP scoring function (the request name in Application Insights).')
param scoringFunctionName string = 'score'

@description('Optional. 95th percentile scoring latency in milliseconds above which the latency alert fires.')
@minValue(1)
param scoringLatencyThresholdMs int = 1000

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = { name: applicationInsightsName }

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-owners'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'dps-alerts'
    enabled: true
    emailReceivers: [{ name: 'owner', emailAddress: alertEmail, useCommonAlertSchema: true }]
  }
}

// Standard (pre-aggregated) request metrics: every function execution is a request, HTTP or not.
var metricAlertSpecs = [
  {
    name: 'function-failures'
    description: 'Failed function executions (HTTP, timer, Event Hubs, Durable) in the last 15 minutes.'
    threshold: failedRequestsThreshold
    dimensions: []
  }
  {
    name: 'http-5xx'
    description: 'HTTP responses with a 5xx status code in the last 15 minutes.'
    threshold: http5xxThreshold
    dimensions: [{ name: 'request/resultCode', operator: 'Include', values: ['500', '502', '503', '504'] }]
  }
]

resource metricAlerts 'Microsoft.Insights/metricAlerts@2018-03-01' = [for spec in metricAlertSpecs: {
  name: '${namePrefix}-${spec.name}'
  location: 'global'
  tags: tags
  properties: {
    description: spec.description
    severity: 2
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: spec.name
          metricNamespace: 'microsoft.insights/components'
          metricName: 'requests/failed'
          dimensions: spec.dimensions
          operator: 'GreaterThan'
          threshold: spec.threshold
          timeAggregation: 'Count'
        }
      ]
    }
    actions: [{ actionGroupId: actionGroup.id }]
  }
}]

// Request metrics carry no function-name dimension, so scoring latency is a log alert on the requests table.
resource scoringLatencyAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-scoring-latency'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: '${namePrefix}-scoring-latency'
    description: '95th percentile duration of the ${scoringFunctionName} function over 15 minutes.'
    severity: 2
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'requests | where name == "${scoringFunctionName}" | summarize p95 = percentile(duration, 95)'
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'p95'
          operator: 'GreaterThan'
          threshold: scoringLatencyThresholdMs
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    autoMitigate: true
    actions: { actionGroups: [actionGroup.id] }
  }
}

output actionGroupId string = actionGroup.id
