metadata description = 'The built-in Azure roles DPS assigns, the actions of its custom roles, and the properties of one assignment. Imported by the modules that define or grant them.'

@export()
@description('Built-in role definition GUIDs, from the Azure built-in roles reference.')
var roleIds = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  eventHubsDataSender: '2b629674-e913-4c01-ae53-ef4638d8f975'
  eventHubsDataReceiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  durableTaskDataContributor: '0ad04412-c4d5-4796-b79c-f76d14c8d402'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

@export()
@description('FinOps off-hours custom role: read, start and deallocate VMs; read, start and stop sites; read and write tags through Microsoft.Resources/tags; read for the Resource Graph inventory. Nothing else (no run-command, no keys, no deployments, no publishing credentials).')
var finOpsActions = [
  'Microsoft.Resources/subscriptions/resourceGroups/read'
  'Microsoft.ResourceGraph/resources/read'
  'Microsoft.Compute/virtualMachines/read'
  'Microsoft.Compute/virtualMachines/instanceView/read'
  'Microsoft.Compute/virtualMachines/start/action'
  'Microsoft.Compute/virtualMachines/deallocate/action'
  'Microsoft.Web/sites/read'
  'Microsoft.Web/sites/start/action'
  'Microsoft.Web/sites/stop/action'
  'Microsoft.Resources/tags/read'
  'Microsoft.Resources/tags/write'
]

@export()
@description('Secret writer custom role (data actions only): create a secret version and read secret metadata, never a secret value. The deploying principal gets it on the DPS vault so the postprovision hook can generate the PII salt there.')
var secretWriterDataActions = [
  'Microsoft.KeyVault/vaults/secrets/setSecret/action'
  'Microsoft.KeyVault/vaults/secrets/readMetadata/action'
]

@export()
@description('Properties of an assignment of the role roleId (a built-in or DPS custom role GUID) to a principal.')
func roleAssignmentProperties(principalId string, principalType string, roleId string) object => {
  principalId: principalId
  principalType: principalType
  roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
}
