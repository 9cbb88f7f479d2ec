import { readSettings } from '../../src/Dps.Functions/settings';
import { describe, expect, it } from 'vitest';
import type { Node } from 'web-tree-sitter';
import { templateAppSettings } from './app-settings-template';
import { bicepFile, bicepFiles } from './bicep-files';
import { bodyOf, declaration, declarations, elements, keyOf, literal, nameOf, property, resourcesOfType, resourceType, valueOf } from './bicep-model';

const requiredTypes = [
  'Microsoft.Resources/resourceGroups',
  'Microsoft.Web/serverfarms',
  'Microsoft.Web/sites',
  'Microsoft.Web/sites/config',
  'Microsoft.Storage/storageAccounts',
  'Microsoft.Storage/storageAccounts/blobServices/containers',
  'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies',
  'Microsoft.Storage/storageAccounts/queueServices/queues',
  'Microsoft.Storage/storageAccounts/tableServices/tables',
  'Microsoft.EventHub/namespaces',
  'Microsoft.EventHub/namespaces/eventhubs',
  'Microsoft.EventHub/namespaces/eventhubs/consumergroups',
  'Microsoft.OperationalInsights/workspaces',
  'Microsoft.Insights/components',
  'Microsoft.Insights/actionGroups',
  'Microsoft.Insights/metricAlerts',
  'Microsoft.ManagedIdentity/userAssignedIdentities',
  'Microsoft.Authorization/roleAssignments',
  'Microsoft.Consumption/budgets',
  'Microsoft.DurableTask/schedulers',
  'Microsoft.DurableTask/schedulers/taskHubs',
  'Microsoft.EventGrid/systemTopics',
];

/** Maps each entry of an array-of-objects var of main.bicep to its fields: literals (through vars) or source text. */
async function mainRecords(variable: string): Promise<Record<string, unknown>[]> {
  const { root } = await bicepFile('main.bicep');
  const resolve = (node: Node) => {
    const named = declarations(root, 'variable').find((candidate) => nameOf(candidate) === node.text);
    return literal(named ? valueOf(named) : node) ?? node.text;
  };
  return elements(valueOf(declaration(root, 'variable', variable))).map((entry) =>
    Object.fromEntries(entry.namedChildren.map((field) => [keyOf(field), resolve(field.namedChildren[1])])),
  );
}

async function mainList(variable: string): Promise<unknown[]> {
  return elements(valueOf(declaration((await bicepFile('main.bicep')).root, 'variable', variable))).map(literal);
}

describe('Bicep resources', () => {
  it('declares every resource type DPS needs', async () => {
    const declared = new Set((await bicepFiles()).flatMap(({ root }) => declarations(root, 'resource').map((r) => resourceType(r).split('@')[0])));
    expect(requiredTypes.filter((type) => !declared.has(type))).toEqual([]);
  });

  it('runs the app on Flex Consumption FC1, Node 22, with parameterised memory and scale-out', async () => {
    const { root } = await bicepFile('modules/function-app.bicep');
    const plan = bodyOf(resourcesOfType(root, 'Microsoft.Web/serverfarms')[0]);
    expect(literal(property(plan, 'sku.name'))).toBe('FC1');
    expect(literal(property(plan, 'sku.tier'))).toBe('FlexConsumption');
    const config = property(bodyOf(resourcesOfType(root, 'Microsoft.Web/sites')[0]), 'properties.functionAppConfig')!;
    expect(literal(property(config, 'runtime.name'))).toBe('node');
    expect(literal(property(config, 'runtime.version'))).toBe('22');
    expect(property(config, 'scaleAndConcurrency.instanceMemoryMB')?.text).toBe('instanceMemoryMB');
    expect(property(config, 'scaleAndConcurrency.maximumInstanceCount')?.text).toBe('maximumInstanceCount');
    const alwaysReady = property(config, 'scaleAndConcurrency.alwaysReady')!;
    expect(alwaysReady.text).toContain("[{ name: 'durable', instanceCount: durableAlwaysReadyInstances }]");
    expect(literal(property(config, 'deployment.storage.authentication.type'))).toBe('UserAssignedIdentity');
    expect(property(config, 'deployment.storage.authentication.userAssignedIdentityResourceId')?.text).toBe('deploymentIdentityId');
  });

  it('passes the Flex sizing parameters of main.bicep through to the app', async () => {
    const app = bodyOf(declaration((await bicepFile('main.bicep')).root, 'module', 'functionApp'));
    for (const name of ['instanceMemoryMB', 'durableAlwaysReadyInstances']) {
      expect(property(app, `params.${name}`)?.text).toBe(name);
    }
    expect(property(app, 'params.maximumInstanceCount')?.text).toBe('checkedMaximumInstanceCount');
    expect(property(app, 'params.appSettings')?.text).toBe('appSettings');
  });

  it('refuses more always-ready instances than maximumInstanceCount with a deployment error naming both', async () => {
    const check = valueOf(declaration((await bicepFile('main.bicep')).root, 'variable', 'checkedMaximumInstanceCount'))!;
    expect(check.type).toBe('ternary_expression');
    const [condition, valid, invalid] = check.namedChildren;
    expect(condition.text).toBe('durableAlwaysReadyInstances <= maximumInstanceCount');
    expect(valid.text).toBe('maximumInstanceCount');
    // int() of a sentence fails the deployment and the error quotes the sentence; ARM evaluates only the chosen branch.
    expect(invalid.text).toMatch(/^int\('maximumInstanceCount \(\$\{maximumInstanceCount\}\) must be at least durableAlwaysReadyInstances \(\$\{durableAlwaysReadyInstances\}\)/);
  });

  it('creates the data containers, the deployment container and the tables', async () => {
    // Exactly the containers and tables the app names in its settings (their defaults), no more, no fewer.
    const app = readSettings();
    expect([...await mainList('dataContainers')].sort()).toEqual(Object.values(app.containers).sort());
    expect([...await mainList('tables')].sort()).toEqual(Object.values(app.tables).sort());
    const { root } = await bicepFile('main.bicep');
    expect(property(bodyOf(declaration(root, 'module', 'storage')), 'params.containerNames')?.text).toBe('concat(dataContainers, [landingDeadLetterContainer])');
    expect(property(bodyOf(declaration(root, 'module', 'storage')), 'params.tableNames')?.text).toBe('tables');
    expect(property(bodyOf(declaration(root, 'module', 'packageStorage')), 'params.containerNames')?.text).toBe('[deploymentContainerName]');
    expect(property(bodyOf(declaration(root, 'module', 'hostStorage')), 'params.queueNames')?.text).toBe('queues');
  });

  it('creates the telemetry and audit hubs with a consumer group per reader', async () => {
    expect(await mainRecords('eventHubs')).toEqual([
      { name: 'telemetry', partitionCount: 'telemetryPartitionCount', consumerGroup: 'drift-monitor', retentionHours: 'eventRetentionHours', capture: false },
      { name: 'audit', partitionCount: 'auditPartitionCount', consumerGroup: 'audit-writer', retentionHours: 'auditEventRetentionHours', capture: 'auditCaptureEnabled' },
    ]);
    const { root } = await bicepFile('modules/event-hubs.bicep');
    const hub = bodyOf(declaration(root, 'resource', 'eventHubs'));
    expect(property(hub, 'properties.retentionDescription.retentionTimeInHours')?.text).toBe('hub.retentionHours');
  });

  it('offers the Durable Task Scheduler as an option with its role and connection setting', async () => {
    const { root } = await bicepFile('main.bicep');
    expect(literal(valueOf(declaration(root, 'parameter', 'durableStorageProvider')))).toBe('azureStorage');
    expect(valueOf(declaration(root, 'variable', 'useScheduler'))?.text).toBe("durableStorageProvider == 'durableTaskScheduler'");
    const scheduler = declaration(root, 'module', 'scheduler');
    expect(scheduler.namedChildren.find((node) => node.type === 'if_statement')?.namedChildren[0].text).toBe('(useScheduler)');
    const conditional = Object.fromEntries((await templateAppSettings()).filter((setting) => setting.conditional).map(({ name, resolved }) => [name, resolved]));
    // The scheduler is selected by app settings (host.json keeps Azure Storage for local runs), so choosing it takes effect.
    expect(conditional).toMatchObject({
      AzureFunctionsJobHost__extensions__durableTask__storageProvider__type: 'azureManaged',
      AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionStringName: 'DURABLE_TASK_SCHEDULER_CONNECTION_STRING',
    });
    expect(Object.keys(conditional)).toContain('DURABLE_TASK_SCHEDULER_CONNECTION_STRING');
    const union = valueOf(declaration(root, 'variable', 'appSettings'))!.text;
    expect(union).toMatch(/useScheduler \? \{\s*DURABLE_TASK_SCHEDULER_CONNECTION_STRING/);
  });

  it('tags everything for azd and cost allocation, and the app with azd-service-name api', async () => {
    const { root } = await bicepFile('main.bicep');
    const tags = valueOf(declaration(root, 'variable', 'tags'))!;
    expect(tags.namedChildren.map(keyOf)).toEqual(['azd-env-name', 'cost-center', 'workload']);
    const site = bodyOf(resourcesOfType((await bicepFile('modules/function-app.bicep')).root, 'Microsoft.Web/sites')[0]);
    expect(property(site, 'tags')?.text).toBe("union(tags, { 'azd-service-name': serviceName })");
    expect(literal(valueOf(declaration((await bicepFile('modules/function-app.bicep')).root, 'parameter', 'serviceName')))).toBe('api');
  });

  it('guards cost with a resource-group budget that notifies the alert action group', async () => {
    const { root } = await bicepFile('modules/budget.bicep');
    const budget = bodyOf(resourcesOfType(root, 'Microsoft.Consumption/budgets')[0]);
    expect(property(budget, 'scope')).toBeUndefined();
    expect(literal(property(budget, 'properties.timeGrain'))).toBe('Monthly');
    expect(property(budget, 'properties.notifications')?.text).toContain('contactGroups: [actionGroupId]');
    const main = bodyOf(declaration((await bicepFile('main.bicep')).root, 'module', 'budget'));
    expect(property(main, 'scope')?.text).toBe('rg');
    expect(property(main, 'params.actionGroupId')?.text).toBe('alerts.outputs.actionGroupId');
  });

  it('alerts on failures, 5xx, latency, Durable failures, Event Hubs lag, storage availability, the log cap and the app metrics', async () => {
    const { root } = await bicepFile('modules/alerts.bicep');
    const metricAlerts = elements(valueOf(declaration(root, 'variable', 'metricAlertSpecs'))).map((spec) => literal(property(spec, 'name')));
    expect(metricAlerts).toEqual(['function-failures', 'http-5xx']);
    const metric = bodyOf(declaration(root, 'resource', 'metricAlerts'));
    expect(property(metric, 'properties.scopes')?.text).toBe('[applicationInsights.id]');
    const logAlerts = elements(valueOf(declaration(root, 'variable', 'logAlertSpecs')));
    const byName = Object.fromEntries(logAlerts.map((spec) => [literal(property(spec, 'name')), spec]));
    expect(Object.keys(byName)).toEqual(['scoring-latency', 'durable-failures', 'log-analytics-daily-cap', 'quarantine-share', 'prediction-latency', 'drift-share']);
    expect(property(byName['scoring-latency'], 'query')?.text).toContain('percentile(duration, 95)');
    expect(property(byName['durable-failures'], 'query')?.text).toContain('prop__state) == "Failed"');
    expect(property(byName['log-analytics-daily-cap'], 'scope')?.text).toBe('workspaceId');
    expect(property(byName['log-analytics-daily-cap'], 'query')?.text).toContain('OverQuota');
    const lag = bodyOf(declaration(root, 'resource', 'eventHubLagAlert'));
    expect(property(lag, 'properties.criteria')?.text).toMatch(/IncomingMessages[\s\S]*OutgoingMessages/);
    const availability = bodyOf(declaration(root, 'resource', 'storageAvailabilityAlerts'));
    expect(property(availability, 'properties.criteria')?.text).toContain("metricName: 'Availability'");
    const main = bodyOf(declaration((await bicepFile('main.bicep')).root, 'module', 'alerts'));
    expect(property(main, 'params.storageAccountNames')?.text).toBe('[hostStorage.outputs.name, storage.outputs.name, packageStorage.outputs.name]');
    const workbook = bodyOf(resourcesOfType((await bicepFile('modules/workbook.bicep')).root, 'Microsoft.Insights/workbooks')[0]);
    expect(property(workbook, 'properties.serializedData')?.text).toBe("string(loadJsonContent('../workbooks/dps-line.json'))");
  });
});
