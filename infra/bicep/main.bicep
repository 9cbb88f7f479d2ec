targetScope = 'subscription'

metadata description = 'DPS (Digital Production System): the resource group and everything in it (Flex Consumption Function App, storage, Event Hubs, monitoring, identity, alerts, budget) plus FinOps rights on the off-hours resource groups. Deployed by azd up.'

@description('Required. Name of the azd environment; seeds the resource names and the azd-env-name tag.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Required. Azure region of every resource; it must offer the Flex Consumption plan.')
@minLength(1)
@metadata({ azd: { type: 'location' } })
param location string

@description('Optional. Object id of the deploying user or pipeline, granted the same data roles as the app; empty grants nothing.')
param principalId string = ''

@description('Optional. Kind of principalId.')
@allowed(['User', 'ServicePrincipal'])
param principalType string = 'User'

@description('Required. Email address that receives the alerts and the budget notifications.')
@minLength(3)
param alertEmail string

@description('Optional. Value of the cost-center tag on every resource.')
param costCenter string = 'mlops'

@description('Optional. Value of the workload tag on every resource.')
param workload string = 'dps'

@description('Optional. Memory of each Function App instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Optional. Most Function App instances the plan may scale out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Optional. Always-ready instances of the Durable Functions group; 0 scales it to zero (cold starts, no baseline cost).')
@minValue(0)
@maxValue(20)
param durableAlwaysReadyInstances int = 1

@description('Optional. Durable Functions backend: azureStorage (queues and tables of the app storage account) or durableTaskScheduler (managed scheduler and task hub; host.json must say so, see docs/deploy.md).')
@allowed(['azureStorage', 'durableTaskScheduler'])
param durableStorageProvider string = 'azureStorage'

@description('Optional. Durable Task Scheduler SKU; used with the durableTaskScheduler provider only.')
@allowed(['Consumption', 'Dedicated'])
param durableTaskSchedulerSku string = 'Consumption'

@description('Optional. Salt for hashing PII columns (app setting DPS_PII_SALT). Set it per environment (azd env set DPS_PII_SALT ...); empty derives a stable per-environment value, which is not a secret.')
@secure()
param piiSalt string = ''

@description('Optional. Durable task hub name (app setting DPS_TASK_HUB, and the scheduler task hub when that provider is chosen).')
@minLength(3)
@maxLength(45)
param taskHubName string = 'dps'

@description('Optional. Days every blob of the audit container stays immutable (WORM).')
@minValue(1)
@maxValue(146000)
param auditRetentionDays int = 365

@description('Optional. Replication SKU of the storage account.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS'])
param storageSkuName string = 'Standard_LRS'

@description('Optional. Throughput units of the Event Hubs Standard namespace.')
@minValue(1)
@maxValue(20)
param eventHubCapacity int = 1

@description('Optional. Partitions of the telemetry hub (one event per prediction).')
@minValue(1)
@maxValue(32)
param telemetryPartitionCount int = 2

@description('Optional. Partitions of the audit hub; 1 keeps every decision in one order for the hash chain.')
@minValue(1)
@maxValue(32)
param auditPartitionCount int = 1

@description('Optional. Hours both event hubs keep events.')
@minValue(1)
@maxValue(168)
param eventRetentionHours int = 24

@description('Optional. Days Log Analytics keeps data.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Optional. Daily Log Analytics ingestion cap in GB; -1 means no cap.')
@minValue(-1)
param logDailyCapGb int = 1

@description('Optional. Resource groups of this subscription whose web apps and VMs the FinOps off-hours job may stop and start; empty grants nothing.')
param offHoursResourceGroups string[] = []

@description('Optional. Monthly cost budget of the DPS resource group, in the billing currency.')
@minValue(1)
param monthlyBudget int = 100

@description('Optional. First day of the first budget month (yyyy-MM-01); empty means the current month. azd keeps it in AZURE_BUDGET_START_DATE because a budget start date cannot change.')
param budgetStartDate string = ''

@description('Optional. Leave unset: first day of the current month (UTC), used when budgetStartDate is empty.')
param currentMonthStart string = utcNow('yyyy-MM-01')

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  'cost-center': costCenter
  workload: workload
}
var useScheduler = durableStorageProvider == 'durableTaskScheduler'
var dataContainers = ['landing', 'bronze', 'silver', 'quarantine', 'gold', 'models', 'audit', 'reports']
var deploymentContainerName = 'app-package'
var tables = ['datasets', 'runs', 'models', 'aliases', 'lineage', 'audit', 'finops']
// Queues the app's own bindings use; the Durable Azure Storage provider creates its queues itself.
var queues = []
var telemetryHub = 'telemetry'
var auditHub = 'audit'
var eventHubs = [
  { name: telemetryHub, partitionCount: telemetryPartitionCount, consumerGroup: 'drift-monitor' }
  { name: auditHub, partitionCount: auditPartitionCount, consumerGroup: 'audit-writer' }
]
// The app's identity first, then the optional deploying principal.
var dataPrincipalTypes = concat(['ServicePrincipal'], empty(principalId) ? [] : [principalType])
var budgetStart = empty(budgetStartDate) ? currentMonthStart : budgetStartDate

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: { name: 'id-dps-${resourceToken}', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    workspaceName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionDays
    dailyCapGb: logDailyCapGb
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    skuName: storageSkuName
    containerNames: concat(dataContainers, [deploymentContainerName])
    queueNames: queues
    tableNames: tables
    auditRetentionDays: auditRetentionDays
  }
}

module landingEvents 'modules/landing-events.bicep' = {
  name: 'landing-events'
  scope: rg
  params: {
    name: 'evgt-${resourceToken}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
  }
}

module eventHubNamespace 'modules/event-hubs.bicep' = {
  name: 'event-hubs'
  scope: rg
  params: {
    name: 'evhns-dps-${resourceToken}'
    location: location
    tags: tags
    capacity: eventHubCapacity
    hubs: eventHubs
    retentionHours: eventRetentionHours
  }
}

module scheduler 'modules/durable-task-scheduler.bicep' = if (useScheduler) {
  name: 'durable-task-scheduler'
  scope: rg
  params: {
    name: 'dts-${resourceToken}'
    taskHubName: taskHubName
    location: location
    tags: tags
    skuName: durableTaskSchedulerSku
  }
}

module dataAccess 'modules/data-access.bicep' = [for (kind, i) in dataPrincipalTypes: {
  name: 'data-access-${i}'
  scope: rg
  params: {
    principalId: i == 0 ? identity.outputs.principalId : principalId
    principalType: kind
    storageAccountName: storage.outputs.name
    eventHubNamespaceName: eventHubNamespace.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    durableTaskSchedulerName: useScheduler ? scheduler.outputs.name : ''
  }
}]

module finOpsAccess 'modules/finops-access.bicep' = [for groupName in offHoursResourceGroups: {
  name: take('dps-finops-${resourceToken}-${groupName}', 64)
  scope: resourceGroup(groupName)
  params: { principalId: identity.outputs.principalId }
}]

// Every setting the app reads, in one place. Connections are identity based: no keys, no connection strings.
var appSettings = union({
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
  AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
  AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
  EventHubConnection__fullyQualifiedNamespace: eventHubNamespace.outputs.fullyQualifiedNamespace
  EventHubConnection__credential: 'managedidentity'
  EventHubConnection__clientId: identity.outputs.clientId
  AZURE_CLIENT_ID: identity.outputs.clientId
  AZURE_SUBSCRIPTION_ID: subscription().subscriptionId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
  DPS_TASK_HUB: taskHubName
  DPS_TRAINING_TRIALS: '6'
  DPS_TRAINING_SEED: '42'
  DPS_PII_SALT: empty(piiSalt) ? uniqueString(subscription().id, environmentName, 'pii-salt') : piiSalt
  DPS_TELEMETRY_HUB: telemetryHub
  DPS_AUDIT_HUB: auditHub
  DPS_CONTAINER_LANDING: 'landing'
  DPS_CONTAINER_BRONZE: 'bronze'
  DPS_CONTAINER_SILVER: 'silver'
  DPS_CONTAINER_QUARANTINE: 'quarantine'
  DPS_CONTAINER_GOLD: 'gold'
  DPS_CONTAINER_MODELS: 'models'
  DPS_CONTAINER_AUDIT: 'audit'
  DPS_CONTAINER_REPORTS: 'reports'
  DPS_TABLE_DATASETS: 'datasets'
  DPS_TABLE_RUNS: 'runs'
  DPS_TABLE_MODELS: 'models'
  DPS_TABLE_ALIASES: 'aliases'
  DPS_TABLE_LINEAGE: 'lineage'
  DPS_TABLE_AUDIT: 'audit'
  DPS_TABLE_FINOPS: 'finops'
  DPS_FINOPS_SCHEDULE: '0 0 * * * *'
  DPS_FINOPS_DRY_RUN: 'true'
  DPS_FINOPS_DEFAULT_SCHEDULE: 'off=(M-F,19);on=(M-F,7);tz=UTC'
  DPS_FINOPS_HOURLY_COST: '0'
  DPS_FINOPS_GRACE_MINUTES: '15'
  DPS_FINOPS_INVENTORY: 'azure'
  DPS_FINOPS_RESOURCE_GROUPS: join(offHoursResourceGroups, ',')
}, useScheduler ? {
  DURABLE_TASK_SCHEDULER_CONNECTION_STRING: 'Endpoint=${scheduler.outputs.endpoint};Authentication=ManagedIdentity;ClientID=${identity.outputs.clientId}'
} : {})

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: 'func-dps-${resourceToken}'
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.resourceId
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}${deploymentContainerName}'
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    durableAlwaysReadyInstances: durableAlwaysReadyInstances
    appSettings: appSettings
  }
  // The host starts with its data roles already granted.
  dependsOn: [dataAccess]
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    namePrefix: 'dps-${resourceToken}'
    location: location
    tags: tags
    alertEmail: alertEmail
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module budget 'modules/budget.bicep' = {
  name: 'budget'
  scope: rg
  params: {
    name: 'budget-dps-${environmentName}'
    amount: monthlyBudget
    startDate: budgetStart
    contactEmails: [alertEmail]
    actionGroupId: alerts.outputs.actionGroupId
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_SUBSCRIPTION_ID string = subscription().subscriptionId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = functionApp.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_LANDING_SYSTEM_TOPIC string = landingEvents.outputs.name
output AZURE_EVENTHUB_NAMESPACE string = eventHubNamespace.outputs.fullyQualifiedNamespace
output AZURE_FUNCTION_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output DPS_DURABLE_STORAGE_PROVIDER string = durableStorageProvider
output DURABLE_TASK_SCHEDULER_ENDPOINT string = useScheduler ? scheduler.outputs.endpoint : ''
output AZURE_BUDGET_START_DATE string = budgetStart
