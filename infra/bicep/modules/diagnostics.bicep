metadata description = 'Diagnostic settings shared by every module: all logs and all metrics of a resource to the Log Analytics workspace.'

@export()
@description('Properties of a diagnostic setting that sends every log category and every metric to a workspace.')
func allLogsAndMetrics(workspaceId string) object => {
  workspaceId: workspaceId
  logs: [{ categoryGroup: 'allLogs', enabled: true }]
  metrics: [{ category: 'AllMetrics', enabled: true }]
}

@export()
@description('Properties of a diagnostic setting for a resource that has metrics but no log categories (a storage account itself, a plan, a virtual network).')
func metricsOnly(workspaceId string) object => {
  workspaceId: workspaceId
  metrics: [{ category: 'AllMetrics', enabled: true }]
}

@export()
@description('Name of the diagnostic setting DPS creates on every resource.')
var diagnosticSettingName = 'to-log-analytics'
