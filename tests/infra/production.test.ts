import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { templateAppSettings } from './app-settings-template';
import { bicepFile, bicepFiles, bicepDir, repoRoot } from './bicep-files';
import { bodyOf, declaration, declarations, decorators, literal, nameOf, property, resourcesOfType, resourceType, valueOf } from './bicep-model';

/** Resource types that have no diagnostic categories, or whose data already lands in the workspace. */
const withoutDiagnostics = [
  'Microsoft.Resources/resourceGroups', 'Microsoft.ManagedIdentity/userAssignedIdentities', 'Microsoft.Authorization/', 'Microsoft.Insights/',
  'Microsoft.Consumption/budgets', 'Microsoft.Web/sites/', 'Microsoft.Storage/storageAccounts/blobServices/containers', 'Microsoft.Storage/storageAccounts/queueServices/queues',
  'Microsoft.Storage/storageAccounts/tableServices/tables', 'Microsoft.EventHub/namespaces/eventhubs', 'Microsoft.Network/privateDnsZones', 'Microsoft.Network/privateEndpoints',
  'Microsoft.DurableTask/schedulers', 'Microsoft.OperationalInsights/workspaces@', 'Microsoft.Insights/components',
];

function envFile(name: string): Map<string, string> {
  const text = readFileSync(path.join(repoRoot, 'infra', 'environments', `${name}.env`), 'utf8');
  return new Map(text.split('\n').filter((line) => line.trim() && !line.startsWith('#')).map((line) => line.split('=', 2) as [string, string]));
}

describe('production infrastructure', () => {
  it('keeps secrets out of every template input: no @secure param, no derived salt, the salt is a Key Vault reference', async () => {
    for (const { file, root } of await bicepFiles()) {
      expect(declarations(root, 'parameter').filter((param) => decorators(param).has('secure')).map(nameOf), file).toEqual([]);
      expect(resourcesOfType(root, 'Microsoft.KeyVault/vaults/secrets'), `${file} writes no secret value`).toEqual([]);
    }
    const salt = (await templateAppSettings()).find(({ name }) => name === 'DPS_PII_SALT')!;
    expect(salt.value.text).toBe("'@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${piiSaltSecretName})'");
    const site = bodyOf(resourcesOfType((await bicepFile('modules/function-app.bicep')).root, 'Microsoft.Web/sites')[0]);
    expect(property(site, 'properties.keyVaultReferenceIdentity')?.text).toBe('identityId');
  });

  it('creates the Key Vault in RBAC mode with purge protection', async () => {
    const vault = bodyOf(resourcesOfType((await bicepFile('modules/key-vault.bicep')).root, 'Microsoft.KeyVault/vaults')[0]);
    expect(literal(property(vault, 'properties.enableRbacAuthorization'))).toBe(true);
    expect(literal(property(vault, 'properties.enablePurgeProtection'))).toBe(true);
  });

  it('turns basic publishing credentials off and offers Easy Auth with Entra ID for people', async () => {
    const { root } = await bicepFile('modules/function-app.bicep');
    const policies = declaration(root, 'resource', 'publishingCredentials');
    expect(policies.text).toContain("for endpoint in ['scm', 'ftp']");
    expect(literal(property(bodyOf(policies), 'properties.allow'))).toBe(false);
    const auth = declaration(root, 'resource', 'authentication');
    expect(literal(property(bodyOf(auth), 'name'))).toBe('authsettingsV2');
    expect(literal(property(bodyOf(auth), 'properties.identityProviders.azureActiveDirectory.enabled'))).toBe(true);
    // Function keys keep working for machine callers; the platform adds x-ms-client-principal for signed-in people.
    expect(literal(property(bodyOf(auth), 'properties.globalValidation.unauthenticatedClientAction'))).toBe('AllowAnonymous');
    expect(literal(property(bodyOf(auth), 'properties.identityProviders.azureActiveDirectory.registration.clientSecretSettingName'))).toBe('OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID');
    const roles = JSON.parse(readFileSync(path.join(repoRoot, 'infra', 'auth', 'app-roles.json'), 'utf8')) as { value: string }[];
    expect(roles.map(({ value }) => value)).toEqual(['DPS.Reader', 'DPS.Operator', 'DPS.RolloutApprover']);
  });

  it('closes public access and adds private endpoints for storage, Event Hubs, Key Vault and the scheduler when vnetEnabled', async () => {
    const { root } = await bicepFile('main.bicep');
    expect(literal(valueOf(declaration(root, 'parameter', 'vnetEnabled')))).toBe(false);
    for (const module of ['hostStorage', 'storage', 'packageStorage', 'keyVault', 'eventHubNamespace']) {
      expect(property(bodyOf(declaration(root, 'module', module)), 'params.publicNetworkAccess')?.text, module).toBe('!vnetEnabled');
    }
    const endpoints = valueOf(declaration(root, 'variable', 'privateEndpoints'))!.text;
    for (const groupId of ["'blob', 'queue', 'table'", "groupId: 'namespace'", "groupId: 'vault'", "groupId: 'scheduler'"]) expect(endpoints).toContain(groupId);
    expect(property(bodyOf(declaration(root, 'module', 'functionApp')), 'params.virtualNetworkSubnetId')?.text).toBe("vnetEnabled ? network.outputs.appSubnetId : ''");
    const network = (await bicepFile('modules/network.bicep')).source;
    expect(network).toContain("serviceName: 'Microsoft.App/environments'");
  });

  it('sends diagnostics of every resource that has them to Log Analytics', async () => {
    const missing = (await bicepFiles()).flatMap(({ file, root }) => {
      const diagnosed = resourcesOfType(root, 'Microsoft.Insights/diagnosticSettings').map((setting) => property(bodyOf(setting), 'scope')?.text);
      return declarations(root, 'resource')
        .filter((resource) => !resource.text.includes(' existing'))
        .filter((resource) => !withoutDiagnostics.some((type) => resourceType(resource).startsWith(type)))
        .filter((resource) => !diagnosed.includes(nameOf(resource)))
        .map((resource) => `${file}: ${nameOf(resource)} (${resourceType(resource)})`);
    });
    expect(missing).toEqual([]);
  });

  it('protects data: versioning, change feed, point-in-time restore, 30-day soft delete and a delete lock on the data account', async () => {
    const storage = bodyOf(declaration((await bicepFile('main.bicep')).root, 'module', 'storage'));
    expect(literal(property(storage, 'params.dataProtection'))).toBe(true);
    expect(property(storage, 'params.softDeleteDays')?.text).toBe('dataSoftDeleteDays');
    expect(property(storage, 'params.deleteLock')?.text).toBe('dataDeleteLock');
    const { root } = await bicepFile('modules/storage.bicep');
    const blob = bodyOf(declaration(root, 'resource', 'blobService'));
    expect(property(blob, 'properties.isVersioningEnabled')?.text).toBe('dataProtection');
    expect(property(blob, 'properties.restorePolicy')?.text).toContain('days: softDeleteDays - 1');
    expect(literal(property(bodyOf(declaration(root, 'resource', 'lock')), 'properties.level'))).toBe('CanNotDelete');
    expect(literal(valueOf(declaration((await bicepFile('main.bicep')).root, 'parameter', 'dataSoftDeleteDays')))).toBe(30);
  });

  it('keeps audit events 7 days and captures them into the WORM audit container', async () => {
    const { root } = await bicepFile('main.bicep');
    expect(literal(valueOf(declaration(root, 'parameter', 'auditEventRetentionHours')))).toBe(168);
    const hubs = bodyOf(declaration(root, 'module', 'eventHubNamespace'));
    expect(property(hubs, 'params.captureContainerName')?.text).toBe('auditHub');
    expect(property(hubs, 'params.captureStorageAccountId')?.text).toBe('storage.outputs.resourceId');
    const capture = property(bodyOf(declaration((await bicepFile('modules/event-hubs.bicep')).root, 'resource', 'eventHubs')), 'properties.captureDescription')!;
    expect(capture.text).toContain("identity: { type: 'UserAssigned', userAssignedIdentity: captureIdentityId }");
  });

  it('differs between dev and prod only in the production choices, each an azd variable of main.parameters.json', () => {
    const dev = envFile('dev');
    const prod = envFile('prod');
    expect([...prod.keys()]).toEqual([...dev.keys()]);
    const mapped = readFileSync(path.join(bicepDir, 'main.parameters.json'), 'utf8');
    for (const key of dev.keys()) expect(mapped, key).toContain(`\${${key}=`);
    expect(prod.get('DPS_VNET_ENABLED')).toBe('true');
    expect(prod.get('DPS_DATA_DELETE_LOCK')).toBe('true');
    expect(prod.get('DPS_ALLOW_USER_IDENTITY_PRINCIPAL')).toBe('false');
    expect(prod.get('DPS_AUDIT_CAPTURE_ENABLED')).toBe('true');
  });

  it('ships pipelines: azd provision and deploy with OIDC, and a pull-request job with tests and Bicep lint', () => {
    const deploy = readFileSync(path.join(repoRoot, '.github', 'workflows', 'azure-dev.yml'), 'utf8');
    expect(deploy).toContain('id-token: write');
    for (const step of ['npm ci', 'npm test', 'azd provision', 'azd deploy', '--federated-credential-provider github']) expect(deploy).toContain(step);
    expect(deploy).not.toMatch(/client-secret|AZURE_CREDENTIALS/i);
    const pr = readFileSync(path.join(repoRoot, '.github', 'workflows', 'pull-request.yml'), 'utf8');
    for (const step of ['npm test', 'az bicep lint', 'what-if']) expect(pr).toContain(step);
  });
});

describe('deployment package', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'dps-package-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('holds the compiled app and its production dependencies only, after npm run build', () => {
    const main = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).main as string;
    if (!existsSync(path.join(repoRoot, main))) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: repoRoot, stdio: 'ignore' });
    execFileSync('node', [path.join(repoRoot, 'infra', 'scripts', 'package-app.mjs'), out], { cwd: repoRoot, stdio: 'ignore' });
    expect(readdirSync(out).sort()).toEqual(['dist', 'host.json', 'node_modules', 'package.json']);
    expect(readdirSync(path.join(out, 'dist', 'src')).sort()).toEqual(['Dps.Domain', 'Dps.Functions']);
    expect(existsSync(path.join(out, main))).toBe(true);
    const staged = JSON.parse(readFileSync(path.join(out, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(staged)).not.toContain('devDependencies');
    expect(Object.keys(staged)).not.toContain('scripts');
    const modules = readdirSync(path.join(out, 'node_modules'));
    for (const forbidden of ['azurite', 'typescript', 'vitest', 'web-tree-sitter', 'tree-sitter-bicep', 'onnxruntime-node']) expect(modules).not.toContain(forbidden);
    for (const needed of ['durable-functions', '@azure']) expect(modules).toContain(needed);
  });
});
