metadata description = 'Monthly cost budget of the resource group it is deployed to, notifying the action group and the owner at 80% and 100% of actual cost and 100% of forecast cost.'

@description('Required. Budget name.')
param name string

@description('Required. Monthly amount in the billing currency.')
@minValue(1)
param amount int

@description('Required. First day of the first budget month (yyyy-MM-01); it cannot change once the budget exists.')
param startDate string

@description('Required. Email addresses notified when a threshold is crossed.')
param contactEmails string[]

@description('Required. Resource id of the action group notified when a threshold is crossed.')
param actionGroupId string

var thresholds = [
  { key: 'actual80', threshold: 80, thresholdType: 'Actual' }
  { key: 'actual100', threshold: 100, thresholdType: 'Actual' }
  { key: 'forecast100', threshold: 100, thresholdType: 'Forecasted' }
]

resource budget 'Microsoft.Consumption/budgets@2024-08-01' = {
  name: name
  properties: {
    category: 'Cost'
    amount: amount
    timeGrain: 'Monthly'
    timePeriod: { startDate: startDate }
    notifications: toObject(thresholds, t => t.key, t => {
      enabled: true
      operator: 'GreaterThan'
      threshold: t.threshold
      thresholdType: t.thresholdType
      contactEmails: contactEmails
      contactGroups: [actionGroupId]
    })
  }
}
