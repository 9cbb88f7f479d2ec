metadata description = 'The built-in Azure roles DPS assigns, and the properties of one assignment. Imported by the modules that grant them.'

@export()
@description('Built-in role definition GUIDs, from the Azure built-in roles reference.')
var roleIds = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  eventHubsDataSender: '2b629674-e913-4c01-ae53-ef4638d8f975'
  eventHubsDataReceiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  durableTaskDataContributor: '0ad04412-c4d5-4796-b79c-f76d14c8d402'
  websiteContributor: 'de139f84-1756-47ae-9be6-808fbbe84772'
  virtualMachineContributor: '9980e02c-c2be-4d73-94e8-173b1dc7cf3c'
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
}

@export()
@description('Properties of an assignment of the built-in role roleId to a principal.')
func roleAssignmentProperties(principalId string, principalType string, roleId string) object => {
  principalId: principalId
  principalType: principalType
  roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
}
