metadata description = 'Action group (email) and the alerts of the line: failed function executions, HTTP 5xx, scoring latency, Durable orchestration failures, Event Hubs consumer lag, storage availability, the Log Analytics daily cap, and the app\'s custom metrics (quarantine share, prediction latency, drift).'

@description('Required. Prefix of the alert rule names.')
param namePrefix string

@description('Required. Name of the action group.')
param actionGroupName string

@description('Optional. Azure region of the log alert rules (metric alerts and action groups are global).')
param location string = resourceGroup().location

@description('Optional. Tags of the alert resources.')
param tags object = {}

@description('Required. Email address that receives the alerts.')
param alertEmail string

@description('Required. Name of the Application Insights component the alerts watch.')
param applicationInsightsName string

@description('Required. Resource id of the Log Analytics workspace (daily cap alert).')
param workspaceId string

@description('Required. Name of the Event Hubs namespace (consumer lag alert).')
param eventHubNamespaceName string

@description('Required. Event hubs whose consumers must keep up.')
param eventHubNames string[]

@description('Required. Names of the storage accounts whose availability is watched.')
param storageAccountNames string[]

@description('Optional. Failed executions in 15 minutes above which the failures alert fires.')
@minValue(0)
param failedRequestsThreshold int = 5

@description('Optional. HTTP 5xx responses in 15 minutes above which the 5xx alert fires.')
@minValue(0)
param http5xxThreshold int = 0

@description('Optional. Name of the HTTP scoring function (the request name in Application Insights).')
param scoringFunctionName string = 'predict'

@description('Optional. 95th percentile scoring latency in milliseconds above which the latency alert fires.')
@minValue(1)
param scoringLatencyThresholdMs int = 1000

@description('Optional. Storage availability in percent below which the availability alert fires.')
param storageAvailabilityThreshold string = '99.9'

// The app's custom metrics (src/Dps.Functions/telemetry/app-metrics.ts): OpenTelemetry histograms, so each
// customMetrics row is one minute of one dimension set (valueCount, valueSum = value, valueMin, valueMax).
@description('Optional. Custom metric the app emits for the quarantined share of a batch (0 to 1), dimension dataset.')
param quarantineShareMetric string = 'dps.quarantine_share'

@description('Optional. Quarantine share above which the quarantine alert fires.')
param quarantineShareThreshold string = '0.2'

@description('Optional. Custom metric the app emits per predict request in milliseconds, dimensions model, rows and withinSlo (against the app setting DPS_SLO_PREDICT_P99_MS).')
param predictionLatencyMetric string = 'dps.prediction_latency_ms'

@description('Optional. Percent of predict requests slower than the p99 objective (DPS_SLO_PREDICT_P99_MS) above which the prediction alert fires: over 1 % means the p99 is over the objective.')
param predictionSlowPercentThreshold string = '1'

@description('Optional. Custom metric the app emits for the drifted share of features in a closed window (0 to 1), dimension model.')
param driftShareMetric string = 'dps.drift_share'

@description('Optional. Drift share above which the drift alert fires.')
param driftShareThreshold string = '0.5'

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = { name: applicationInsightsName }

resource eventHubNamespace 'Microsoft.EventHub/namespaces@2024-01-01' existing = { name: eventHubNamespaceName }

resource storageAccounts 'Microsoft.Storage/storageAccounts@2024-01-01' existing = [for accountName in storageAccountNames: { name: accountName }]

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
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

// Event Hubs has no consumer-lag metric outside Kafka: events arriving while none leave for 30 minutes is the lag signal
// (both criteria must hold). The audit writer retries forever, so this is what catches a stuck chain before retention ends.
resource eventHubLagAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-eventhub-consumer-lag'
  location: 'global'
  tags: tags
  properties: {
    description: 'Events arrive in a DPS event hub but none are read for 30 minutes.'
    severity: 1
    enabled: true
    scopes: [eventHubNamespace.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT30M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'incoming'
          metricNamespace: 'Microsoft.EventHub/namespaces'
          metricName: 'IncomingMessages'
          dimensions: [{ name: 'EntityName', operator: 'Include', values: eventHubNames }]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Total'
        }
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'outgoing'
          metricNamespace: 'Microsoft.EventHub/namespaces'
          metricName: 'OutgoingMessages'
          dimensions: [{ name: 'EntityName', operator: 'Include', values: eventHubNames }]
          operator: 'LessThan'
          threshold: 1
          timeAggregation: 'Total'
        }
      ]
    }
    actions: [{ actionGroupId: actionGroup.id }]
  }
}

resource storageAvailabilityAlerts 'Microsoft.Insights/metricAlerts@2018-03-01' = [for (accountName, i) in storageAccountNames: {
  name: '${namePrefix}-storage-availability-${accountName}'
  location: 'global'
  tags: tags
  properties: {
    description: 'Availability of storage account ${accountName} below ${storageAvailabilityThreshold} % over 15 minutes.'
    severity: 1
    enabled: true
    scopes: [storageAccounts[i].id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'availability'
          metricNamespace: 'Microsoft.Storage/storageAccounts'
          metricName: 'Availability'
          operator: 'LessThan'
          threshold: json(storageAvailabilityThreshold)
          timeAggregation: 'Average'
        }
      ]
    }
    actions: [{ actionGroupId: actionGroup.id }]
  }
}]

// Log alerts: each query yields a column `value`, compared with the threshold every 15 minutes.
var logAlertSpecs = [
  {
    name: 'scoring-latency'
    description: '95th percentile duration of the ${scoringFunctionName} function over 15 minutes.'
    scope: applicationInsights.id
    query: 'requests | where name == "${scoringFunctionName}" | summarize value = percentile(duration, 95)'
    threshold: scoringLatencyThresholdMs
    dimensions: []
  }
  {
    name: 'durable-failures'
    description: 'Durable orchestrations or activities that ended Failed in the last 15 minutes.'
    scope: applicationInsights.id
    query: 'traces | where customDimensions.Category startswith "Host.Triggers.DurableTask" | where tostring(customDimensions.prop__state) == "Failed" | summarize value = count()'
    threshold: 0
    dimensions: []
  }
  {
    name: 'log-analytics-daily-cap'
    description: 'The Log Analytics workspace reached its daily cap: data collection stopped until the next day.'
    scope: workspaceId
    query: '_LogOperation | where Operation =~ "Data collection stopped" | where Detail contains "OverQuota" | summarize value = count()'
    threshold: 0
    dimensions: []
  }
  {
    name: 'quarantine-share'
    description: 'Largest quarantined share of a batch (custom metric ${quarantineShareMetric}) over 15 minutes, per dataset.'
    scope: applicationInsights.id
    query: 'customMetrics | where name == "${quarantineShareMetric}" | extend dataset = tostring(customDimensions.dataset) | summarize value = max(valueMax) by dataset'
    threshold: json(quarantineShareThreshold)
    dimensions: [{ name: 'dataset', operator: 'Include', values: ['*'] }]
  }
  {
    name: 'prediction-latency'
    description: 'Percent of predict requests over the p99 objective (custom metric ${predictionLatencyMetric}, withinSlo == false) over 15 minutes, per model: above 1 % the p99 is over the objective.'
    scope: applicationInsights.id
    query: 'customMetrics | where name == "${predictionLatencyMetric}" | extend model = tostring(customDimensions.model) | summarize value = 100.0 * sumif(valueCount, tostring(customDimensions.withinSlo) == "false") / sum(valueCount) by model'
    threshold: json(predictionSlowPercentThreshold)
    dimensions: [{ name: 'model', operator: 'Include', values: ['*'] }]
  }
  {
    name: 'drift-share'
    description: 'Largest drifted share of features in a window (custom metric ${driftShareMetric}) over 15 minutes, per model.'
    scope: applicationInsights.id
    query: 'customMetrics | where name == "${driftShareMetric}" | extend model = tostring(customDimensions.model) | summarize value = max(valueMax) by model'
    threshold: json(driftShareThreshold)
    dimensions: [{ name: 'model', operator: 'Include', values: ['*'] }]
  }
]

resource logAlerts 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [for spec in logAlertSpecs: {
  name: '${namePrefix}-${spec.name}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: '${namePrefix}-${spec.name}'
    description: spec.description
    severity: 2
    enabled: true
    scopes: [spec.scope]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: spec.query
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'value'
          dimensions: spec.dimensions
          operator: 'GreaterThan'
          threshold: spec.threshold
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    autoMitigate: true
    actions: { actionGroups: [actionGroup.id] }
  }
}]

@description('Resource id of the action group.')
output actionGroupId string = actionGroup.id
