targetScope = 'subscription'

metadata description = 'DPS (Digital Production System): the resource group and everything in it (Flex Consumption Function App, host, data and package storage, Event Hubs, Key Vault, monitoring, identities, alerts, workbook, budget, optional private network) plus the custom roles and FinOps rights on the off-hours resource groups. Deployed by azd up.'

@description('Required. Name of the azd environment; seeds the resource names and the azd-env-name tag.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Required. Azure region of every resource; it must offer the Flex Consumption plan.')
@minLength(1)
@metadata({ azd: { type: 'location' } })
param location string

@description('Optional. Object id of the deploying user or pipeline: it may write (never read) the PII salt in Key Vault, and gets the app\'s data roles only with allowUserIdentityPrincipal.')
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

@description('Optional. Durable Functions backend: azureStorage (queues and tables of the host storage account) or durableTaskScheduler (managed scheduler and task hub, selected through app settings).')
@allowed(['azureStorage', 'durableTaskScheduler'])
param durableStorageProvider string = 'azureStorage'

@description('Optional. Durable Task Scheduler SKU; used with the durableTaskScheduler provider only.')
@allowed(['Consumption', 'Dedicated'])
param durableTaskSchedulerSku string = 'Consumption'

@description('Optional. Durable task hub name (app setting DPS_TASK_HUB, and the scheduler task hub when that provider is chosen).')
@minLength(3)
@maxLength(45)
param taskHubName string = 'dps'

@description('Optional. Days every blob of the audit container stays immutable (WORM); once locked, raise it only.')
@minValue(1)
@maxValue(146000)
param auditRetentionDays int = 365

@description('Optional. Replication SKU of the storage accounts.')
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

@description('Optional. Hours the telemetry hub keeps events.')
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

@description('Optional. True once the audit WORM policy has been locked (az storage container immutability-policy lock): the template then leaves the policy alone, because a locked policy only accepts an extend.')
param auditImmutabilityLocked bool = false

@description('Optional. Hours the audit hub keeps events: long enough for the audit writer to catch up after an outage (Standard tier: at most 168).')
@minValue(1)
@maxValue(168)
param auditEventRetentionHours int = 168

@description('Optional. Event Hubs Capture of the audit hub into the WORM audit container (Avro, every 5 minutes): a second copy of every decision. Adds about $73 a month per throughput unit.')
param auditCaptureEnabled bool = true

@description('Optional. Days deleted blobs and containers of the data account are kept; point-in-time restore reaches one day less.')
@minValue(7)
@maxValue(365)
param dataSoftDeleteDays int = 30

@description('Optional. A CanNotDelete lock on the data storage account.')
param dataDeleteLock bool = false

@description('Optional. Private networking: a VNet, Flex VNet integration, private endpoints and DNS zones for storage, Event Hubs, Key Vault and the scheduler, and public network access off on them.')
param vnetEnabled bool = false

@description('Optional. Give the deploying principal (principalId) the app\'s data roles, for development; production leaves it off.')
param allowUserIdentityPrincipal bool = false

@description('Optional. Client id of the Microsoft Entra app registration people sign in with (Easy Auth, app roles reader, operator, rollout approver); empty leaves Easy Auth off. See docs/deploy.md.')
param authClientId string = ''

@description('Optional. Resource groups of this subscription whose web apps and VMs the FinOps off-hours job may stop and start; empty grants nothing.')
param offHoursResourceGroups string[] = []

@description('Optional. OpenLineage endpoint every pipeline, training, rollout and retraining run is POSTed to, e.g. Marquez\'s http://host:5000/api/v1/lineage; empty: the events go to the lineage container only. See docs/lineage.md.')
param openLineageUrl string = ''

@description('Optional. Name of a Key Vault secret holding the OpenLineage endpoint\'s API key (sent as a Bearer token); empty: none.')
param openLineageApiKeySecretName string = ''

@description('Optional. Web URL of the DPS source repository, named as the source of the jobs in the lineage events; empty: unknown.')
param sourceRepository string = ''

@description('Optional. The deployed git commit, named as the jobs\' source version in the lineage events; empty: the package version only.')
param sourceCommit string = ''

@description('Optional. Monthly cost budget of the DPS resource group, in the billing currency.')
@minValue(1)
param monthlyBudget int = 100

@description('Optional. First day of the first budget month (yyyy-MM-01); empty means the current month. azd keeps it in AZURE_BUDGET_START_DATE because a budget start date cannot change.')
param budgetStartDate string = ''

@description('Optional. Leave unset: first day of the current month (UTC), used when budgetStartDate is empty.')
param currentMonthStart string = utcNow('yyyy-MM-01')

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  'cost-center': costCenter
  workload: workload
}
var useScheduler = durableStorageProvider == 'durableTaskScheduler'
var authEnabled = !empty(authClientId)
var grantDeployer = allowUserIdentityPrincipal && !empty(principalId)
var dataContainers = ['landing', 'bronze', 'silver', 'quarantine', 'gold', 'models', 'audit', 'reports', 'scoring', 'lineage']
// Event Grid writes landing events it could not deliver here (data account).
var landingDeadLetterContainer = 'landing-deadletter'
var deploymentContainerName = 'app-package'
var tables = ['datasets', 'runs', 'models', 'aliases', 'lineage', 'audit', 'finops', 'features', 'rollouts', 'feedback', 'drift']
// Queues the app's own bindings use; the Durable Azure Storage provider creates its queues itself (host account).
var queues = []
var telemetryHub = 'telemetry'
var auditHub = 'audit'
var eventHubs = [
  { name: telemetryHub, partitionCount: telemetryPartitionCount, consumerGroup: 'drift-monitor', retentionHours: eventRetentionHours, capture: false }
  { name: auditHub, partitionCount: auditPartitionCount, consumerGroup: 'audit-writer', retentionHours: auditEventRetentionHours, capture: auditCaptureEnabled }
]
var piiSaltSecretName = 'dps-pii-salt'
var budgetStart = empty(budgetStartDate) ? currentMonthStart : budgetStartDate
// ARM evaluates only the chosen branch of if(): an invalid count stops the deployment with this message.
var checkedMaximumInstanceCount = durableAlwaysReadyInstances <= maximumInstanceCount ? maximumInstanceCount : int('maximumInstanceCount (${maximumInstanceCount}) must be at least durableAlwaysReadyInstances (${durableAlwaysReadyInstances}): raise maximumInstanceCount or lower durableAlwaysReadyInstances')
var names = {
  resourceGroup: '${abbrs.resourcesResourceGroups}${environmentName}'
  appIdentity: '${abbrs.managedIdentityUserAssignedIdentities}dps-${resourceToken}'
  deploymentIdentity: '${abbrs.managedIdentityUserAssignedIdentities}dps-deploy-${resourceToken}'
  captureIdentity: '${abbrs.managedIdentityUserAssignedIdentities}dps-capture-${resourceToken}'
  workspace: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
  applicationInsights: '${abbrs.insightsComponents}${resourceToken}'
  // The data account keeps the name the single account had, so an existing environment keeps its data.
  dataStorage: '${abbrs.storageStorageAccounts}${resourceToken}'
  hostStorage: '${abbrs.storageStorageAccounts}host${resourceToken}'
  packageStorage: '${abbrs.storageStorageAccounts}pkg${resourceToken}'
  keyVault: '${abbrs.keyVaultVaults}${resourceToken}'
  systemTopic: '${abbrs.eventGridSystemTopics}${resourceToken}'
  eventHubNamespace: '${abbrs.eventHubNamespaces}dps-${resourceToken}'
  scheduler: '${abbrs.durableTaskSchedulers}${resourceToken}'
  virtualNetwork: '${abbrs.networkVirtualNetworks}${resourceToken}'
  functionApp: '${abbrs.webSitesFunctions}dps-${resourceToken}'
  plan: '${abbrs.webServerFarms}${resourceToken}'
  actionGroup: '${abbrs.insightsActionGroups}dps-${resourceToken}'
  budget: '${abbrs.consumptionBudgets}dps-${environmentName}'
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module customRoles 'modules/custom-roles.bicep' = {
  name: 'custom-roles'
  params: { environmentName: environmentName, resourceGroupName: rg.name, offHoursResourceGroups: offHoursResourceGroups }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: { name: names.appIdentity, location: location, tags: tags }
}

module deploymentIdentity 'modules/identity.bicep' = {
  name: 'deployment-identity'
  scope: rg
  params: { name: names.deploymentIdentity, location: location, tags: tags }
}

module captureIdentity 'modules/identity.bicep' = if (auditCaptureEnabled) {
  name: 'capture-identity'
  scope: rg
  params: { name: names.captureIdentity, location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    workspaceName: names.workspace
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    retentionInDays: logRetentionDays
    dailyCapGb: logDailyCapGb
  }
}

// Functions host and Durable (Azure Storage provider) state: leases, queues, history, keys.
module hostStorage 'modules/storage.bicep' = {
  name: 'host-storage'
  scope: rg
  params: {
    name: names.hostStorage
    location: location
    tags: tags
    skuName: storageSkuName
    queueNames: queues
    publicNetworkAccess: !vnetEnabled
    workspaceId: monitoring.outputs.workspaceId
  }
}

// The data lake: medallion containers, registry, lineage and the audit chain, protected against loss.
module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.dataStorage
    location: location
    tags: tags
    skuName: storageSkuName
    containerNames: concat(dataContainers, [landingDeadLetterContainer])
    tableNames: tables
    immutableContainerName: auditHub
    immutabilityDays: auditRetentionDays
    immutabilityLocked: auditImmutabilityLocked
    dataProtection: true
    softDeleteDays: dataSoftDeleteDays
    deleteLock: dataDeleteLock
    publicNetworkAccess: !vnetEnabled
    workspaceId: monitoring.outputs.workspaceId
  }
}

// The deployment package only: written and read by the deployment identity, out of reach of the app identity's roles.
module packageStorage 'modules/storage.bicep' = {
  name: 'package-storage'
  scope: rg
  params: {
    name: names.packageStorage
    location: location
    tags: tags
    skuName: 'Standard_LRS'
    containerNames: [deploymentContainerName]
    publicNetworkAccess: !vnetEnabled
    workspaceId: monitoring.outputs.workspaceId
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    publicNetworkAccess: !vnetEnabled
    workspaceId: monitoring.outputs.workspaceId
  }
}

module landingEvents 'modules/landing-events.bicep' = {
  name: 'landing-events'
  scope: rg
  params: {
    name: names.systemTopic
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
    workspaceId: monitoring.outputs.workspaceId
  }
}

module deadLetterAccess 'modules/container-access.bicep' = {
  name: 'dead-letter-access'
  scope: rg
  params: { principalId: landingEvents.outputs.principalId, storageAccountName: storage.outputs.name, containerName: landingDeadLetterContainer }
}

module captureAccess 'modules/container-access.bicep' = if (auditCaptureEnabled) {
  name: 'capture-access'
  scope: rg
  params: { principalId: auditCaptureEnabled ? captureIdentity.outputs.principalId : '', storageAccountName: storage.outputs.name, containerName: auditHub }
}

module packageAccess 'modules/container-access.bicep' = {
  name: 'package-access'
  scope: rg
  params: { principalId: deploymentIdentity.outputs.principalId, storageAccountName: packageStorage.outputs.name, containerName: deploymentContainerName }
}

module eventHubNamespace 'modules/event-hubs.bicep' = {
  name: 'event-hubs'
  scope: rg
  params: {
    name: names.eventHubNamespace
    location: location
    tags: tags
    capacity: eventHubCapacity
    hubs: eventHubs
    captureStorageAccountId: storage.outputs.resourceId
    captureContainerName: auditHub
    captureIdentityId: auditCaptureEnabled ? captureIdentity.outputs.resourceId : ''
    publicNetworkAccess: !vnetEnabled
    workspaceId: monitoring.outputs.workspaceId
  }
  // Capture checks its write access when the audit hub is created.
  dependsOn: [captureAccess]
}

module scheduler 'modules/durable-task-scheduler.bicep' = if (useScheduler) {
  name: 'durable-task-scheduler'
  scope: rg
  params: {
    name: names.scheduler
    taskHubName: taskHubName
    location: location
    tags: tags
    skuName: durableTaskSchedulerSku
    ipAllowlist: vnetEnabled ? [] : ['0.0.0.0/0']
  }
}

var storageEndpointSuffix = environment().suffixes.storage
var privateEndpoints = concat(
  flatten(map([{ key: 'host', id: hostStorage.outputs.resourceId, services: ['blob', 'queue', 'table'] }, { key: 'data', id: storage.outputs.resourceId, services: ['blob', 'table'] }, { key: 'pkg', id: packageStorage.outputs.resourceId, services: ['blob'] }], account => map(account.services, service => {
    name: 'st-${account.key}-${service}'
    resourceId: account.id
    groupId: service
    zone: 'privatelink.${service}.${storageEndpointSuffix}'
  }))),
  [
    { name: 'evhns', resourceId: eventHubNamespace.outputs.resourceId, groupId: 'namespace', zone: 'privatelink.servicebus.windows.net' }
    { name: 'kv', resourceId: keyVault.outputs.resourceId, groupId: 'vault', zone: 'privatelink.vaultcore.azure.net' }
  ],
  useScheduler ? [{ name: 'dts', resourceId: scheduler.outputs.resourceId, groupId: 'scheduler', zone: 'privatelink.durabletask.io' }] : []
)

module network 'modules/network.bicep' = if (vnetEnabled) {
  name: 'network'
  scope: rg
  params: {
    name: names.virtualNetwork
    privateEndpointPrefix: '${abbrs.networkPrivateEndpoints}${resourceToken}-'
    location: location
    tags: tags
    privateEndpoints: privateEndpoints
    workspaceId: monitoring.outputs.workspaceId
  }
}

var dataAccessParams = {
  hostStorageAccountName: hostStorage.outputs.name
  dataStorageAccountName: storage.outputs.name
  eventHubNamespaceName: eventHubNamespace.outputs.name
  eventHubNames: [telemetryHub, auditHub]
  applicationInsightsName: monitoring.outputs.applicationInsightsName
  durableTaskSchedulerName: useScheduler ? scheduler.outputs.name : ''
}

module dataAccess 'modules/data-access.bicep' = {
  name: 'data-access'
  scope: rg
  params: union(dataAccessParams, { principalId: identity.outputs.principalId, principalType: 'ServicePrincipal', keyVaultName: keyVault.outputs.name })
}

// Development only: the deploying user reads and writes data as the app does (never the Key Vault secrets).
module deployerDataAccess 'modules/data-access.bicep' = if (grantDeployer) {
  name: 'deployer-data-access'
  scope: rg
  params: union(dataAccessParams, { principalId: principalId, principalType: principalType })
}

// The postprovision hook generates the PII salt in the vault as the deploying principal, who can write but not read it.
module saltWriterAccess 'modules/key-vault-access.bicep' = if (!empty(principalId)) {
  name: 'salt-writer-access'
  scope: rg
  params: { principalId: principalId, principalType: principalType, keyVaultName: keyVault.outputs.name, roleId: customRoles.outputs.secretWriterRoleId }
}

module finOpsAccess 'modules/finops-access.bicep' = [for groupName in offHoursResourceGroups: {
  name: take('dps-finops-${resourceToken}-${groupName}', 64)
  scope: resourceGroup(groupName)
  params: { principalId: identity.outputs.principalId, finOpsRoleId: customRoles.outputs.finOpsRoleId }
}]

// Every setting the app reads, in one place. Connections are identity based: no keys, no connection strings; the one
// secret is a Key Vault reference resolved by the platform with the app identity.
var appSettings = union({
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  AzureWebJobsStorage__blobServiceUri: hostStorage.outputs.blobEndpoint
  AzureWebJobsStorage__queueServiceUri: hostStorage.outputs.queueEndpoint
  AzureWebJobsStorage__tableServiceUri: hostStorage.outputs.tableEndpoint
  DpsDataStorage__credential: 'managedidentity'
  DpsDataStorage__clientId: identity.outputs.clientId
  DpsDataStorage__blobServiceUri: storage.outputs.blobEndpoint
  DpsDataStorage__tableServiceUri: storage.outputs.tableEndpoint
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
  DPS_TRAINING_MAX_CLASSES: '50'
  DPS_TRAINING_CLASS_WEIGHTS: 'auto'
  DPS_TRAINING_THRESHOLD: 'f1'
  DPS_COMPUTE_THREADS: '0'
  DPS_PII_SALT: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${piiSaltSecretName})'
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
  DPS_CONTAINER_SCORING: 'scoring'
  DPS_CONTAINER_LINEAGE: 'lineage'
  DPS_TABLE_DATASETS: 'datasets'
  DPS_TABLE_RUNS: 'runs'
  DPS_TABLE_MODELS: 'models'
  DPS_TABLE_ALIASES: 'aliases'
  DPS_TABLE_LINEAGE: 'lineage'
  DPS_TABLE_AUDIT: 'audit'
  DPS_TABLE_FINOPS: 'finops'
  DPS_TABLE_FEATURES: 'features'
  DPS_TABLE_ROLLOUTS: 'rollouts'
  DPS_TABLE_FEEDBACK: 'feedback'
  DPS_ROUTING_CACHE_SECONDS: '2'
  DPS_ARTIFACT_CACHE_SIZE: '8'
  DPS_ROLLOUT_AUTO: 'true'
  DPS_ROLLOUT_STEPS: '5,25,50,100'
  DPS_ROLLOUT_BAKE_SECONDS: '300'
  DPS_ROLLOUT_MIN_SAMPLES: '200'
  DPS_ROLLOUT_APPROVAL: 'auto'
  DPS_ROLLOUT_THRESHOLDS: '{}'
  DPS_ROLLOUT_POLL_SECONDS: '15'
  DPS_TABLE_DRIFT: 'drift'
  DPS_DRIFT_WINDOW_BY: 'rows'
  DPS_DRIFT_WINDOW_ROWS: '10000'
  DPS_DRIFT_WINDOW_MINUTES: '60'
  DPS_DRIFT_WINDOW_MIN_ROWS: '100'
  DPS_DRIFT_HYSTERESIS_ENTER: '2'
  DPS_DRIFT_HYSTERESIS_EXIT: '2'
  DPS_DRIFT_THRESHOLDS: '{}'
  DPS_RETRAIN_COOLDOWN_MINUTES: '1440'
  DPS_RETRAIN_MIN_NEW_ROWS: '1000'
  DPS_RETRAIN_WHILE_ROLLOUT: 'wait'
  DPS_RETRAIN_RECHECK_MINUTES: '15'
  DPS_RETRAIN_SCHEDULE: ''
  DPS_RETRAIN_WINDOW_VERSIONS: '3'
  DPS_RETRAIN_VOLUME_ROWS: '0'
  DPS_RETRAIN_PERFORMANCE: ''
  DPS_RETRAIN_MIN_LABELS: '200'
  DPS_FINOPS_SCHEDULE: '0 0 * * * *'
  DPS_FINOPS_DRY_RUN: 'true'
  DPS_FINOPS_DEFAULT_SCHEDULE: 'off=(M-F,19);on=(M-F,7);tz=UTC'
  DPS_FINOPS_HOURLY_COST: '0'
  DPS_FINOPS_GRACE_MINUTES: '15'
  DPS_FINOPS_INVENTORY: 'azure'
  DPS_FINOPS_RESOURCE_GROUPS: join(offHoursResourceGroups, ',')
  // What callers may send (docs/data-plane.md): request bodies, contracts and batches beyond these are refused.
  DPS_INGEST_MAX_BODY_BYTES: '104857600'
  DPS_CONTRACT_MAX_BYTES: '262144'
  DPS_BATCH_MAX_BYTES: '2147483648'
  DPS_BATCH_MAX_ROWS: '10000000'
  DPS_BATCH_MAX_ROW_BYTES: '8388608'
  // Only Easy Auth sets x-ms-client-principal (and strips any a caller sent), so trust it only when it is on.
  DPS_TRUST_PLATFORM_PRINCIPAL: string(authEnabled)
  DPS_PUBLIC_BASE_URL: ''
  // Flow metrics: list-price estimates (docs/flow.md), SLOs (docs/observability.md), the weekly PDCA report.
  DPS_FLOW_CURRENCY: 'USD'
  DPS_FLOW_PRICE_GB_SECOND: '0.000026'
  DPS_FLOW_PRICE_MILLION_EXECUTIONS: '0.4'
  DPS_FLOW_PRICE_10K_WRITES: '0.065'
  DPS_FLOW_PRICE_10K_READS: '0.005'
  DPS_INSTANCE_MEMORY_MB: string(instanceMemoryMB)
  DPS_SLO_PIPELINE_LEAD_TIME_P95_MINUTES: '15'
  DPS_SLO_PREDICT_P99_MS: '500'
  DPS_SLO_AVAILABILITY: '0.995'
  DPS_FLOW_REPORT_SCHEDULE: '0 0 6 * * 1'
  // OpenLineage (docs/lineage.md): always the lineage container; the endpoint only when set.
  DPS_OPENLINEAGE_URL: openLineageUrl
  DPS_OPENLINEAGE_API_KEY: empty(openLineageApiKeySecretName) ? '' : '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${openLineageApiKeySecretName})'
  DPS_OPENLINEAGE_NAMESPACE: 'dps'
  DPS_SOURCE_REPOSITORY: sourceRepository
  DPS_SOURCE_COMMIT: sourceCommit
}, useScheduler ? {
  DURABLE_TASK_SCHEDULER_CONNECTION_STRING: 'Endpoint=${scheduler.outputs.endpoint};Authentication=ManagedIdentity;ClientID=${identity.outputs.clientId}'
  // host.json keeps Azure Storage for local runs; these override it in Azure when the scheduler is chosen.
  AzureFunctionsJobHost__extensions__durableTask__storageProvider__type: 'azureManaged'
  AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionStringName: 'DURABLE_TASK_SCHEDULER_CONNECTION_STRING'
} : {}, authEnabled ? {
  // Easy Auth's client credential: a federated credential of the app identity instead of a client secret.
  OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID: identity.outputs.clientId
} : {})

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    identityId: identity.outputs.resourceId
    deploymentIdentityId: deploymentIdentity.outputs.resourceId
    deploymentContainerUrl: '${packageStorage.outputs.blobEndpoint}${deploymentContainerName}'
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: checkedMaximumInstanceCount
    durableAlwaysReadyInstances: durableAlwaysReadyInstances
    appSettings: appSettings
    virtualNetworkSubnetId: vnetEnabled ? network.outputs.appSubnetId : ''
    authClientId: authClientId
    workspaceId: monitoring.outputs.workspaceId
  }
  // The host starts with its data roles and its package access already granted.
  dependsOn: [dataAccess, packageAccess]
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    namePrefix: 'dps-${resourceToken}'
    actionGroupName: names.actionGroup
    location: location
    tags: tags
    alertEmail: alertEmail
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    workspaceId: monitoring.outputs.workspaceId
    eventHubNamespaceName: eventHubNamespace.outputs.name
    eventHubNames: [telemetryHub, auditHub]
    storageAccountNames: [hostStorage.outputs.name, storage.outputs.name, packageStorage.outputs.name]
  }
}

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  scope: rg
  params: {
    displayName: 'DPS production line (${environmentName})'
    location: location
    tags: tags
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module budget 'modules/budget.bicep' = {
  name: 'budget'
  scope: rg
  params: {
    name: names.budget
    amount: monthlyBudget
    startDate: budgetStart
    contactEmails: [alertEmail]
    actionGroupId: alerts.outputs.actionGroupId
  }
}

@description('Region of every resource.')
output AZURE_LOCATION string = location

@description('Tenant of the deployment.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Subscription of the deployment.')
output AZURE_SUBSCRIPTION_ID string = subscription().subscriptionId

@description('The DPS resource group.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Name of the Function App.')
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name

@description('Name of the Function App, for azd deploy of service api.')
output SERVICE_API_NAME string = functionApp.outputs.name

@description('HTTPS base URL of the Function App.')
output SERVICE_API_URI string = functionApp.outputs.uri

@description('Name of the data storage account (medallion containers, registry, audit).')
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name

@description('Blob endpoint of the data storage account.')
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint

@description('Resource id of the data storage account (the landing subscription dead-letters into it).')
output AZURE_STORAGE_ACCOUNT_ID string = storage.outputs.resourceId

@description('Container of the data account that receives undeliverable landing events.')
output AZURE_LANDING_DEADLETTER_CONTAINER string = landingDeadLetterContainer

@description('Name of the host storage account (Functions and Durable state).')
output AZURE_HOST_STORAGE_ACCOUNT_NAME string = hostStorage.outputs.name

@description('Event Grid system topic of the data account (landing trigger).')
output AZURE_LANDING_SYSTEM_TOPIC string = landingEvents.outputs.name

@description('Fully qualified Event Hubs namespace.')
output AZURE_EVENTHUB_NAMESPACE string = eventHubNamespace.outputs.fullyQualifiedNamespace

@description('Client id of the app identity.')
output AZURE_FUNCTION_IDENTITY_CLIENT_ID string = identity.outputs.clientId

@description('Name of the Key Vault that holds the PII salt.')
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name

@description('Name of the Key Vault secret the postprovision hook generates and DPS_PII_SALT references.')
output DPS_PII_SALT_SECRET_NAME string = piiSaltSecretName

@description('Durable Functions backend in use.')
output DPS_DURABLE_STORAGE_PROVIDER string = durableStorageProvider

@description('Durable Task Scheduler endpoint; empty with the Azure Storage provider.')
output DURABLE_TASK_SCHEDULER_ENDPOINT string = useScheduler ? scheduler.outputs.endpoint : ''

@description('First day of the first budget month; azd keeps it so the budget start never changes.')
output AZURE_BUDGET_START_DATE string = budgetStart
