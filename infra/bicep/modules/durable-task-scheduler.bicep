metadata description = 'Durable Task Scheduler and its task hub: the managed Durable Functions backend used when durableStorageProvider is durableTaskScheduler.'

@description('Required. Scheduler name: 3 to 64 letters, digits and hyphens.')
param name string

@description('Required. Task hub name; the app finds it through the DPS_TASK_HUB app setting.')
param taskHubName string

@description('Optional. Azure region of the scheduler.')
param location string = resourceGroup().location

@description('Optional. Tags of the scheduler.')
param tags object = {}

@description('Optional. Scheduler SKU: Consumption is billed per action, Dedicated per capacity unit.')
@allowed(['Consumption', 'Dedicated'])
param skuName string = 'Consumption'

@description('Optional. Addresses allowed to reach the scheduler publicly; empty denies every public address (the private endpoint of vnetEnabled still works), and access is Entra RBAC only either way.')
param ipAllowlist string[] = ['0.0.0.0/0']

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: skuName == 'Dedicated' ? { name: skuName, capacity: 1 } : { name: skuName }
    ipAllowlist: ipAllowlist
  }
}

resource taskHub 'Microsoft.DurableTask/schedulers/taskHubs@2025-11-01' = {
  parent: scheduler
  name: taskHubName
}

@description('Name of the scheduler.')
output name string = scheduler.name

@description('Resource id of the scheduler.')
output resourceId string = scheduler.id

@description('Scheduler endpoint URL.')
output endpoint string = scheduler.properties.endpoint
