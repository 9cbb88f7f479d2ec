import { describe, expect, it } from 'vitest';
import { templateAppSettings } from './app-settings-template';
import { bicepFile, bicepFiles } from './bicep-files';
import { bodyOf, call, declaration, elements, literal, property, resourcesOfType, valueOf } from './bicep-model';

/** Built-in role GUIDs, checked against the Azure built-in roles reference. */
const builtInRoles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  eventHubsDataSender: '2b629674-e913-4c01-ae53-ef4638d8f975',
  eventHubsDataReceiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  durableTaskDataContributor: '0ad04412-c4d5-4796-b79c-f76d14c8d402',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
};

async function single(file: string, type: string) {
  const resources = resourcesOfType((await bicepFile(file)).root, type);
  expect(resources, `${file} declares one ${type}`).toHaveLength(1);
  return bodyOf(resources[0]);
}

/** The role names a module grants on one resource: a `[for roleId in <var>]` loop or a single `roleIds.<name>`. */
async function grantedRoles(file: string, resourceName: string): Promise<string[]> {
  const { root } = await bicepFile(file);
  const resource = declaration(root, 'resource', resourceName);
  const loop = resource.namedChildren.find((node) => node.type === 'for_statement');
  const source = loop?.namedChildren[1].text ?? '';
  // A loop over a role list var, a range over (items x roles) indexing a role list var, or one roleIds.<name>.
  const listName = /^\w+$/.test(source) ? source : source.match(/length\((\w+Roles)\)\)$/)?.[1];
  const roleRefs = listName ? elements(valueOf(declaration(root, 'variable', listName))) : [call(property(bodyOf(resource), 'properties'))!.args[2]];
  return roleRefs.map((ref) => ref.text.replace('roleIds.', ''));
}

describe('Bicep security posture', () => {
  it('storage: no shared keys, TLS 1.2, HTTPS only, no public blobs', async () => {
    const body = await single('modules/storage.bicep', 'Microsoft.Storage/storageAccounts');
    expect(literal(property(body, 'properties.allowSharedKeyAccess'))).toBe(false);
    expect(literal(property(body, 'properties.minimumTlsVersion'))).toBe('TLS1_2');
    expect(literal(property(body, 'properties.supportsHttpsTrafficOnly'))).toBe(true);
    expect(literal(property(body, 'properties.allowBlobPublicAccess'))).toBe(false);
    const containers = bodyOf(declaration((await bicepFile('modules/storage.bicep')).root, 'resource', 'containers'));
    expect(literal(property(containers, 'properties.publicAccess'))).toBe('None');
  });

  it('Event Hubs and Application Insights accept Entra ID only', async () => {
    const namespace = await single('modules/event-hubs.bicep', 'Microsoft.EventHub/namespaces');
    expect(literal(property(namespace, 'properties.disableLocalAuth'))).toBe(true);
    expect(literal(property(namespace, 'properties.minimumTlsVersion'))).toBe('1.2');
    const insights = await single('modules/monitoring.bicep', 'Microsoft.Insights/components');
    expect(literal(property(insights, 'properties.DisableLocalAuth'))).toBe(true);
  });

  it('keeps the audit container immutable (time-based WORM) for a parameterised number of days', async () => {
    const storage = await bicepFile('modules/storage.bicep');
    const [policy] = resourcesOfType(storage.root, 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies');
    const body = bodyOf(policy);
    expect(property(body, 'properties.immutabilityPeriodSinceCreationInDays')?.text).toBe('immutabilityDays');
    const container = bodyOf(declaration(storage.root, 'resource', property(body, 'parent')!.text));
    expect(property(container, 'name')?.text).toBe('immutableContainerName');
    // A locked policy only accepts an extend: the template skips the PUT once auditImmutabilityLocked is set.
    expect(policy.namedChildren.find((node) => node.type === 'if_statement')?.namedChildren[0].text).toBe('(!empty(immutableContainerName) && !immutabilityLocked)');
    const { root } = await bicepFile('main.bicep');
    expect(elements(valueOf(declaration(root, 'variable', 'dataContainers'))).map(literal)).toContain('audit');
    expect(literal(valueOf(declaration(root, 'variable', 'auditHub')))).toBe('audit');
    const storageModule = bodyOf(declaration(root, 'module', 'storage'));
    expect(property(storageModule, 'params.immutableContainerName')?.text).toBe('auditHub');
    expect(property(storageModule, 'params.immutabilityDays')?.text).toBe('auditRetentionDays');
    expect(property(storageModule, 'params.immutabilityLocked')?.text).toBe('auditImmutabilityLocked');
    expect(literal(valueOf(declaration(root, 'parameter', 'auditImmutabilityLocked')))).toBe(false);
  });

  it('defines each built-in role with its documented GUID', async () => {
    const { root } = await bicepFile('modules/roles.bicep');
    const roleIds = valueOf(declaration(root, 'variable', 'roleIds'))!;
    const defined = Object.fromEntries(roleIds.namedChildren.map((entry) => [entry.namedChildren[0].text, literal(entry.namedChildren[1])]));
    expect(defined).toEqual(builtInRoles);
  });

  it('grants the app identity least-privilege data roles, each on its own resource', async () => {
    const file = 'modules/data-access.bicep';
    expect(await grantedRoles(file, 'hostStorageAccess')).toEqual(['storageBlobDataOwner', 'storageQueueDataContributor', 'storageTableDataContributor']);
    expect(await grantedRoles(file, 'dataStorageAccess')).toEqual(['storageBlobDataContributor', 'storageTableDataContributor']);
    expect(await grantedRoles(file, 'eventHubAccess')).toEqual(['eventHubsDataSender', 'eventHubsDataReceiver']);
    expect(await grantedRoles(file, 'telemetryAccess')).toEqual(['monitoringMetricsPublisher']);
    expect(await grantedRoles(file, 'secretAccess')).toEqual(['keyVaultSecretsUser']);
    expect(await grantedRoles(file, 'schedulerAccess')).toEqual(['durableTaskDataContributor']);
    const { root } = await bicepFile(file);
    const names = ['hostStorageAccess', 'dataStorageAccess', 'eventHubAccess', 'telemetryAccess', 'secretAccess', 'schedulerAccess'];
    const scopes = names.map((name) => property(bodyOf(declaration(root, 'resource', name)), 'scope')?.text);
    // Event Hubs roles sit on each hub, never on the namespace.
    expect(scopes).toEqual(['hostStorageAccount', 'dataStorageAccount', 'eventHubs[i / length(eventHubRoles)]', 'applicationInsights', 'keyVault', 'scheduler']);
    expect(declaration(root, 'resource', 'eventHubs').text).toContain('parent: eventHubNamespace');
    // The app identity has no role on the package account: only the deployment identity writes the package.
    const main = (await bicepFile('main.bicep')).root;
    const packageAccess = bodyOf(declaration(main, 'module', 'packageAccess'));
    expect(property(packageAccess, 'params.principalId')?.text).toBe('deploymentIdentity.outputs.principalId');
    expect(property(bodyOf(declaration(main, 'module', 'dataAccess')), 'params')?.text).not.toContain('packageStorage');
    expect(valueOf(declaration(main, 'variable', 'dataAccessParams'))?.text).not.toContain('packageStorage');
  });

  it('grants FinOps a custom least-privilege role, only inside the named off-hours resource groups', async () => {
    const roles = await bicepFile('modules/roles.bicep');
    const actions = elements(valueOf(declaration(roles.root, 'variable', 'finOpsActions'))).map(literal);
    expect(actions).toEqual([
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.ResourceGraph/resources/read',
      'Microsoft.Compute/virtualMachines/read',
      'Microsoft.Compute/virtualMachines/instanceView/read',
      'Microsoft.Compute/virtualMachines/start/action',
      'Microsoft.Compute/virtualMachines/deallocate/action',
      'Microsoft.Web/sites/read',
      'Microsoft.Web/sites/start/action',
      'Microsoft.Web/sites/stop/action',
      'Microsoft.Resources/tags/read',
      'Microsoft.Resources/tags/write',
    ]);
    // No wildcard, no write of the resources themselves, no run-command, keys, deployments or publishing credentials.
    expect(actions.filter((action) => /\*|runCommand|listKeys|deployments|publishxml|config\/list|virtualMachines\/write|sites\/write/i.test(String(action)))).toEqual([]);
    const writer = elements(valueOf(declaration(roles.root, 'variable', 'secretWriterDataActions'))).map(literal);
    expect(writer).toEqual(['Microsoft.KeyVault/vaults/secrets/setSecret/action', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action']);
    const custom = await bicepFile('modules/custom-roles.bicep');
    const finOpsRole = bodyOf(declaration(custom.root, 'resource', 'finOpsRole'));
    expect(property(finOpsRole, 'properties.permissions')?.text).toContain('actions: finOpsActions');
    expect(property(finOpsRole, 'properties.assignableScopes')?.text).toContain('for groupName in offHoursResourceGroups');
    const assignment = bodyOf(declaration((await bicepFile('modules/finops-access.bicep')).root, 'resource', 'finOpsAccess'));
    expect(call(property(assignment, 'properties'))!.args[2].text).toBe('finOpsRoleId');
    const { root } = await bicepFile('main.bicep');
    const finOps = declaration(root, 'module', 'finOpsAccess');
    const loop = finOps.namedChildren.find((node) => node.type === 'for_statement')!;
    expect(loop.namedChildren[1].text).toBe('offHoursResourceGroups');
    expect(property(bodyOf(finOps), 'scope')?.text).toBe(`resourceGroup(${loop.namedChildren[0].text})`);
    expect(valueOf(declaration(root, 'parameter', 'offHoursResourceGroups'))?.text).toBe('[]');
  });

  it('connects to storage and Event Hubs with the managed identity only', async () => {
    const settings = new Map((await templateAppSettings()).map((setting) => [setting.name, setting]));
    for (const connection of ['AzureWebJobsStorage', 'EventHubConnection']) {
      expect(settings.has(connection), `${connection} must not be a connection string`).toBe(false);
      expect(settings.get(`${connection}__credential`)?.resolved).toBe('managedidentity');
      expect(settings.get(`${connection}__clientId`)?.value.text).toBe('identity.outputs.clientId');
    }
    for (const service of ['blob', 'queue', 'table']) {
      expect(settings.get(`AzureWebJobsStorage__${service}ServiceUri`)?.value.text).toBe(`hostStorage.outputs.${service}Endpoint`);
    }
    expect(settings.get('DpsDataStorage__credential')?.resolved).toBe('managedidentity');
    expect(settings.get('DpsDataStorage__clientId')?.value.text).toBe('identity.outputs.clientId');
    for (const service of ['blob', 'table']) {
      expect(settings.get(`DpsDataStorage__${service}ServiceUri`)?.value.text).toBe(`storage.outputs.${service}Endpoint`);
    }
    expect(settings.get('EventHubConnection__fullyQualifiedNamespace')?.value.text).toBe('eventHubNamespace.outputs.fullyQualifiedNamespace');
    expect(settings.get('AZURE_CLIENT_ID')?.value.text).toBe('identity.outputs.clientId');
    expect(settings.get('APPLICATIONINSIGHTS_AUTHENTICATION_STRING')?.value.text).toBe("'ClientId=${identity.outputs.clientId};Authorization=AAD'");
  });

  it('holds no keys: no list*() calls, no account or SAS keys, no secret connection strings', async () => {
    for (const { file, source, root } of await bicepFiles()) {
      const listCalls = root.descendantsOfType('call_expression').map((node) => call(node)!.fn).filter((fn) => /(^|\.)list/i.test(fn));
      expect(listCalls, file).toEqual([]);
      expect(source, file).not.toMatch(/AccountKey=|SharedAccessKey|InstrumentationKey=|primaryKey|secondaryKey|primaryConnectionString/i);
    }
    const connectionStrings = (await templateAppSettings()).filter(({ name }) => /CONNECTION_STRING/i.test(name));
    expect(connectionStrings.map(({ name }) => name).sort()).toEqual(['APPLICATIONINSIGHTS_CONNECTION_STRING', 'DURABLE_TASK_SCHEDULER_CONNECTION_STRING']);
    const scheduler = connectionStrings.find(({ name }) => name.startsWith('DURABLE'))!;
    expect(scheduler.value.text).toContain(';Authentication=ManagedIdentity;ClientID=${identity.outputs.clientId}');
  });

  it('sets none of the app settings Flex Consumption rejects', async () => {
    const names = (await templateAppSettings()).map(({ name }) => name);
    const rejected = ['FUNCTIONS_WORKER_RUNTIME', 'FUNCTIONS_EXTENSION_VERSION', 'WEBSITE_NODE_DEFAULT_VERSION', 'WEBSITE_RUN_FROM_PACKAGE', 'WEBSITE_CONTENTSHARE', 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING'];
    expect(names.filter((name) => rejected.includes(name))).toEqual([]);
  });

  it('serves HTTPS only with TLS 1.2 and no FTP', async () => {
    const site = await single('modules/function-app.bicep', 'Microsoft.Web/sites');
    expect(literal(property(site, 'properties.httpsOnly'))).toBe(true);
    expect(literal(property(site, 'properties.siteConfig.minTlsVersion'))).toBe('1.2');
    expect(literal(property(site, 'properties.siteConfig.ftpsState'))).toBe('Disabled');
    expect(literal(property(site, 'identity.type'))).toBe('UserAssigned');
  });
});
