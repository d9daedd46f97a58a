// Workflows on Azure Durable Functions: one resource group per environment.
// Deploy: az deployment group create -g <rg> -f infra/main.bicep -p infra/env/dev.bicepparam
targetScope = 'resourceGroup'

@description('Short environment name, part of every resource name (dev, test, prod).')
@minLength(2)
@maxLength(8)
param environmentName string

@description('Azure region; must offer the Flex Consumption plan.')
param location string = resourceGroup().location

@description('Prefix for resource names.')
@minLength(2)
@maxLength(10)
param namePrefix string = 'wf'

@description('Durable Task hub name (letters and digits, 3–45 characters). Different per environment sharing a storage account.')
param taskHubName string = 'WorkflowsHub'

@description('Name of the Key Vault secret that holds the SendGrid API key. The secret value is set out of band (az keyvault secret set), never in a template or parameter file.')
param sendGridSecretName string = 'SendGridApiKey'

@description('Name of the Key Vault secret that holds the bearer-token signing key (base64 of at least 32 random bytes). Every instance must check tokens with the same key, so on Azure it comes from Key Vault, never from the instance disk. Set out of band (az keyvault secret set).')
param signingKeySecretName string = 'TokenSigningKey'

@description('Azure table (in the storage account) of the records log: every instance keeps a local SQLite copy of the records and appends each write to this table (Workflows__Records__Store = Tables). Letters and digits, starting with a letter, not "tables"; the app checks the name at start.')
@minLength(3)
@maxLength(63)
param recordsTableName string = 'records'

@description('Sender address for mail.')
param mailFrom string

@description('Maximum scale-out of the Flex Consumption plan.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Instance memory of the Flex Consumption plan (MB).')
@allowed([2048, 4096])
param instanceMemoryMB int = 2048

@description('Log retention in days for the Log Analytics workspace.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

@description('Object id of the group or person allowed to manage Key Vault secrets (sets the SendGrid key). Empty: none.')
param secretsOfficerPrincipalId string = ''

var suffix = uniqueString(resourceGroup().id, environmentName)
var tags = {
  application: 'workflows'
  environment: environmentName
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: '${namePrefix}-log-${environmentName}-${suffix}'
    appInsightsName: '${namePrefix}-appi-${environmentName}-${suffix}'
    location: location
    retentionInDays: logRetentionDays
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    // 3–24 lowercase letters and digits.
    name: take(toLower('${namePrefix}st${environmentName}${suffix}'), 24)
    location: location
    deploymentContainerName: 'app-package'
    documentsContainerName: 'documents'
    recordsTableName: recordsTableName
    tags: tags
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: take('${namePrefix}-kv-${environmentName}-${suffix}', 24)
    location: location
    tags: tags
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    planName: '${namePrefix}-plan-${environmentName}-${suffix}'
    appName: '${namePrefix}-func-${environmentName}-${suffix}'
    location: location
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    appSettings: {
      // Same keys as local.settings.sample.json at the repository root.
      Workflows__TaskHub: taskHubName
      Workflows__Documents__BlobContainer: storage.outputs.documentsContainerName
      Workflows__Email__Provider: 'SendGrid'
      Workflows__Email__FromAddress: mailFrom
      Workflows__Email__SendGrid__ApiKey: '@Microsoft.KeyVault(SecretUri=${vault.outputs.uri}secrets/${sendGridSecretName}/)'
      Workflows__Auth__SigningKey: '@Microsoft.KeyVault(SecretUri=${vault.outputs.uri}secrets/${signingKeySecretName}/)'
      // Records replicated through a log in one Azure table (the default on Azure, set explicitly here); the app reaches
      // the table with its identity (Storage Table Data Contributor below) and creates it if missing.
      Workflows__Records__Store: 'Tables'
      Workflows__Records__Table: storage.outputs.recordsTableName
    }
    tags: tags
  }
}

// The app reaches storage and Key Vault with its system-assigned identity: no keys in settings. Table Data Contributor
// (built-in role 0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3) serves both the Durable Task hub's tables and the records log.
var storageRoles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

module storageRoleAssignments 'modules/roleassignment-storage.bicep' = [for role in items(storageRoles): {
  name: 'role-storage-${role.key}'
  params: {
    storageAccountName: storage.outputs.name
    principalId: functionApp.outputs.principalId
    roleDefinitionId: role.value
  }
}]

module vaultReader 'modules/roleassignment-keyvault.bicep' = {
  name: 'role-keyvault-secrets-user'
  params: {
    vaultName: vault.outputs.name
    principalId: functionApp.outputs.principalId
    principalType: 'ServicePrincipal'
    // Key Vault Secrets User: read secret values (the Key Vault reference).
    roleDefinitionId: '4633458b-17de-408a-b874-0445c86b69e6'
  }
}

module vaultOfficer 'modules/roleassignment-keyvault.bicep' = if (!empty(secretsOfficerPrincipalId)) {
  name: 'role-keyvault-secrets-officer'
  params: {
    vaultName: vault.outputs.name
    principalId: secretsOfficerPrincipalId
    principalType: 'Group'
    // Key Vault Secrets Officer: set the SendGrid key.
    roleDefinitionId: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  }
}

module metricsPublisher 'modules/roleassignment-appinsights.bicep' = {
  name: 'role-appinsights-metrics-publisher'
  params: {
    appInsightsName: monitoring.outputs.appInsightsName
    principalId: functionApp.outputs.principalId
    // Monitoring Metrics Publisher: Entra-authenticated telemetry.
    roleDefinitionId: '3913510d-42f4-4e42-8a64-420c390055eb'
  }
}

output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.defaultHostName
output storageAccountName string = storage.outputs.name
output keyVaultName string = vault.outputs.name
