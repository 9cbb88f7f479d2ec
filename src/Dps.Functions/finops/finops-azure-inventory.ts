import { WebSiteManagementClient } from '@azure/arm-appservice';
import { ComputeManagementClient } from '@azure/arm-compute';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { DefaultAzureCredential, TokenCredential } from '@azure/identity';
import type { OffHoursResource } from '../../Dps.Domain/finops/resource-decision';
import type { TagChanges } from '../../Dps.Domain/finops/tag-changes';
import type { DpsSettings } from '../settings';
import { hasOffHoursTag } from '../../Dps.Domain/finops/offhours-tags';
import type { FinOpsInventory } from './finops-inventory';
import { isNotFound } from '../storage/storage-errors';

const VM = 'microsoft.compute/virtualmachines';
const SITE = 'microsoft.web/sites';
const ARM = 'https://management.azure.com';
const TAGS_API_VERSION = '2021-04-01';

/** The parts of an ARM resource id the management SDKs need. */
interface ResourceRef {
  resourceGroup: string;
  name: string;
  kind: typeof VM | typeof SITE;
}

function parseResourceId(id: string): ResourceRef {
  const m = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/([^/]+\/[^/]+)\/([^/]+)$/i.exec(id);
  const kind = m?.[2].toLowerCase();
  if (!m || (kind !== VM && kind !== SITE)) throw new Error(`'${id}' is not a virtual machine or web/function app id; DPS stops and starts only those`);
  return { resourceGroup: m[1], kind, name: m[3] };
}

// A deallocated VM costs no compute; "stopped" but allocated still does, so only deallocation counts as stopped.
function vmState(powerState: string | undefined): 'running' | 'stopped' {
  return powerState === 'PowerState/deallocated' || powerState === 'PowerState/deallocating' ? 'stopped' : 'running';
}

const siteState = (state: string | undefined): 'running' | 'stopped' => (state?.toLowerCase() === 'stopped' ? 'stopped' : 'running');

/** KQL string literal for a resource group name (letters, digits, `-_.()` only, as Azure allows). */
function kqlGroup(name: string): string {
  if (!/^[-\w.()]+$/.test(name)) throw new Error(`DPS_FINOPS_RESOURCE_GROUPS: '${name}' is not a resource group name`);
  return `'${name}'`;
}

/**
 * The Azure inventory: Resource Graph finds the VMs and web/function apps tagged `dps-offhours` in
 * the configured resource groups; the Compute and App Service SDKs read, stop and start them and the Tags API tags them, with
 * the app's managed identity. Not exercised by the tests (no Azure here): kept thin and type-checked.
 */
export class AzureFinOpsInventory implements FinOpsInventory {
  private readonly graph: ResourceGraphClient;
  private readonly compute: ComputeManagementClient;
  private readonly web: WebSiteManagementClient;
  private readonly credential: TokenCredential;
  private readonly subscriptionId: string;
  private readonly groups: string[];

  constructor(settings: DpsSettings) {
    if (!settings.azure.subscriptionId) throw new Error('AZURE_SUBSCRIPTION_ID is not set; the Azure FinOps inventory needs it');
    const credential = new DefaultAzureCredential({ managedIdentityClientId: settings.azure.clientId });
    this.credential = credential;
    this.subscriptionId = settings.azure.subscriptionId;
    this.groups = settings.finops.resourceGroups;
    this.graph = new ResourceGraphClient(credential);
    this.compute = new ComputeManagementClient(credential, this.subscriptionId);
    this.web = new WebSiteManagementClient(credential, this.subscriptionId);
  }

  /** Tagged VMs and apps of the configured groups (none when no group is configured: no rights either). */
  async list(): Promise<OffHoursResource[]> {
    if (this.groups.length === 0) return [];
    const query = [
      'resources',
      `| where type in~ ('${VM}', '${SITE}')`,
      `| where resourceGroup in~ (${this.groups.map(kqlGroup).join(', ')})`,
      // Tag names are case-insensitive in Azure; `contains` is too.
      `| where tostring(tags) contains '"dps-offhours"'`,
      `| project id, type, tags, siteState = tostring(properties.state), powerState = tostring(properties.extended.instanceView.powerState.code)`,
    ].join('\n');
    const resources: OffHoursResource[] = [];
    let skipToken: string | undefined;
    do {
      const page = await this.graph.resources({ query, subscriptions: [this.subscriptionId], options: { skipToken, resultFormat: 'objectArray' } });
      for (const row of page.data as { id: string; type: string; tags?: Record<string, string>; siteState: string; powerState: string }[]) {
        const tags = row.tags ?? {};
        if (!hasOffHoursTag(tags)) continue;
        const state = row.type.toLowerCase() === SITE ? siteState(row.siteState) : vmState(row.powerState);
        resources.push({ id: row.id, type: row.type, state, tags });
      }
      skipToken = page.skipToken;
    } while (skipToken);
    return resources;
  }

  /** Reads state and tags from ARM itself: Resource Graph lags behind recent changes. */
  async get(id: string): Promise<OffHoursResource | undefined> {
    const ref = parseResourceId(id);
    try {
      if (ref.kind === VM) {
        const vm = await this.compute.virtualMachines.get(ref.resourceGroup, ref.name, { expand: 'instanceView' });
        const power = vm.instanceView?.statuses?.find((s) => s.code?.startsWith('PowerState/'))?.code;
        return { id, type: 'Microsoft.Compute/virtualMachines', state: vmState(power), tags: vm.tags ?? {} };
      }
      const site = await this.web.webApps.get(ref.resourceGroup, ref.name);
      return { id, type: 'Microsoft.Web/sites', state: siteState(site.state), tags: site.tags ?? {} };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Deallocates a VM, stops an app. */
  async stop(resource: OffHoursResource): Promise<void> {
    const ref = parseResourceId(resource.id);
    if (ref.kind === VM) await this.compute.virtualMachines.deallocate(ref.resourceGroup, ref.name);
    else await this.web.webApps.stop(ref.resourceGroup, ref.name);
  }

  /** Starts a VM or an app. */
  async start(resource: OffHoursResource): Promise<void> {
    const ref = parseResourceId(resource.id);
    if (ref.kind === VM) await this.compute.virtualMachines.start(ref.resourceGroup, ref.name);
    else await this.web.webApps.start(ref.resourceGroup, ref.name);
  }

  /**
   * Writes the tags through the Tags API (`Microsoft.Resources/tags`, PATCH with Merge and Delete), which
   * the FinOps custom role allows without any write right on the resource itself; only the named tags
   * change, so a tag someone sets at the same moment is not overwritten by a read-modify-write.
   */
  async updateTags(resource: OffHoursResource, changes: TagChanges): Promise<void> {
    parseResourceId(resource.id);
    const removed = Object.fromEntries(changes.remove.filter((name) => name in resource.tags).map((name) => [name, resource.tags[name]]));
    if (Object.keys(removed).length > 0) await this.patchTags(resource.id, 'Delete', removed);
    if (Object.keys(changes.set).length > 0) await this.patchTags(resource.id, 'Merge', changes.set);
  }

  private async patchTags(resourceId: string, operation: 'Merge' | 'Delete', tags: Record<string, string>): Promise<void> {
    const token = await this.credential.getToken(`${ARM}/.default`);
    if (!token) throw new Error(`no token for ${ARM} from the managed identity`);
    const response = await fetch(`${ARM}${resourceId}/providers/Microsoft.Resources/tags/default?api-version=${TAGS_API_VERSION}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ operation, properties: { tags } }),
    });
    if (!response.ok) throw new Error(`tags of ${resourceId} (${operation}): HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
  }
}
