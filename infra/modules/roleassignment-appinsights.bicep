// One role assignment on the Application Insights component.
param appInsightsName string
param principalId string
param roleDefinitionId string

resource component 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: component
  name: guid(component.id, principalId, roleDefinitionId)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
  }
}
