// The Broadcast Functions app in Azure: a Linux function app on an Elastic Premium plan running the app as a .NET 10
// isolated worker with Durable Functions on Azure Storage (the task hub in the app's own account), its storage account (reached by identity only: no key anywhere), Key Vault for the vendors' and
// the app's own secrets, Application Insights, and one user-assigned identity. See docs/deploy.md for the choices and
// the deploy steps.
targetScope = 'resourceGroup'

@description('Short name for every resource: 3 to 11 lowercase letters or digits, starting with a letter.')
@minLength(3)
@maxLength(11)
param name string

param location string = resourceGroup().location

@allowed(['EP1', 'EP2', 'EP3'])
param planSku string = 'EP1'

param maximumElasticWorkerCount int = 20

@description('The Functions host image stack: the isolated worker on .NET 10.')
param linuxFxVersion string = 'DOTNET-ISOLATED|10.0'

@description('Object id of whoever uploads the deployment package (az ad signed-in-user show --query id -o tsv). Empty grants nobody.')
param deployerPrincipalId string = ''

@description('Country calling code for local numbers such as 0812...')
param defaultCountryCode string = '62'

param qiscusBaseUrl string = 'https://multichannel.qiscus.com'
param qiscusAppId string = ''
param qiscusChannelId string = ''
param khorosBaseUrl string = 'https://api.flow.ai'
param khorosChannelName string = 'whatsapp'
param khorosExternalId string = ''
param omnichatBaseUrl string = 'https://app.omnichat.id'

@secure()
@description('Comma-separated API keys accepted in header x-functions-key or query code.')
param apiKeys string

@secure()
param qiscusSecretKey string = ''
@secure()
param khorosApiKey string = ''
@secure()
param omnichatApiKey string = ''
@secure()
param omnichatDeviceKey string = ''
@secure()
param qiscusCallbackSecret string = ''
@secure()
param khorosCallbackSecret string = ''
@secure()
param omnichatCallbackSecret string = ''
@secure()
@description('The key completion webhooks (a broadcast\'s notify_url) are signed with; notify_url is refused while it is empty.')
param notificationsSecret string = ''

var suffix = uniqueString(resourceGroup().id, name)
var dropsContainer = 'broadcast-drops'
var packageContainer = 'deployments'
var packageBlob = 'functionapp.zip'

// The names the app uses (src/Broadcast.Core/Storage/StorageNames.cs, Storage__NamePrefix empty). The app also
// creates them at start; declaring them here makes them exist before the first trigger polls.
var containerNames = ['uploads', 'broadcasts', dropsContainer, packageContainer]
var tableNames = ['Broadcasts', 'Batches', 'Uploads', 'Idempotency', 'Suppressions', 'MessageIndex', 'Receipts', 'DropReceipts', 'ChannelLeases', 'RecipientPacing', 'Templates']

var roles = {
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageAccountContributor: '17d1049b-9a84-46fb-8f53-869881c3d3ab'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// ---- Identity ------------------------------------------------------------------------------------------------

// User-assigned rather than system-assigned: its role assignments exist before the function app does, so Key Vault
// references resolve on the app's very first start.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-id'
  location: location
}

// ---- Storage -------------------------------------------------------------------------------------------------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take(toLower('${name}st${suffix}'), 24)
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Nothing signs with the account key: the host and the app use the identity, the package is read with it, and
    // there is no Azure Files content share (the one part of Elastic Premium that would need a key).
    allowSharedKeyAccess: false
    // The portal's storage browser signs in with Entra ID instead of asking for a key.
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in containerNames: {
  parent: blobService
  name: container
  properties: {
    publicAccess: 'None'
  }
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for table in tableNames: {
  parent: tableService
  name: table
}]

// One identity for the host and the app (AzureWebJobsStorage__*). Blob Data Owner: the host's locks, keys and blob
// receipts, the package, the app's uploads and recipient lists. Queue Data Contributor: the task hub's control and
// work-item queues (the Durable Task engine creates them), the blob trigger's internal queues. Table Data Contributor: the app's tables and the host's diagnostic
// events. Storage Account Contributor: the blob trigger asks for it on AzureWebJobsStorage when that connection is an
// identity ("Connecting to host storage with an identity"); the list-keys right it carries is void because shared
// key access is off.
var storageRoleIds = [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor, roles.storageAccountContributor]

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoleIds: {
  name: guid(storage.id, identity.id, role)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource deployerRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(storage.id, deployerPrincipalId, roles.storageBlobDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: deployerPrincipalId
  }
}

// ---- Key Vault -----------------------------------------------------------------------------------------------

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${name}kv${suffix}', 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
  }
}

resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Each app setting that carries a secret given as a parameter; a vendor left empty gets neither secret nor setting.
var secretSettings = filter([
  { setting: 'Api__Keys', value: apiKeys }
  { setting: 'Vendors__Qiscus__SecretKey', value: qiscusSecretKey }
  { setting: 'Vendors__Khoros__ApiKey', value: khorosApiKey }
  { setting: 'Vendors__Omnichat__ApiKey', value: omnichatApiKey }
  { setting: 'Vendors__Omnichat__DeviceKey', value: omnichatDeviceKey }
  { setting: 'Callbacks__Qiscus__Secret', value: qiscusCallbackSecret }
  { setting: 'Callbacks__Khoros__Secret', value: khorosCallbackSecret }
  { setting: 'Callbacks__Omnichat__Secret', value: omnichatCallbackSecret }
  { setting: 'Notifications__Secret', value: notificationsSecret }
], s => !empty(s.value))

resource secrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for s in secretSettings: {
  parent: vault
  name: toLower(replace(s.setting, '__', '-'))
  properties: {
    value: s.value
  }
}]

// ---- Monitoring ----------------------------------------------------------------------------------------------

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-ai'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

resource insightsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---- Function app --------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${name}-plan'
  location: location
  kind: 'elastic'
  sku: {
    name: planSku
    tier: 'ElasticPremium'
  }
  properties: {
    reserved: true
    maximumElasticWorkerCount: maximumElasticWorkerCount
  }
}

var plainSettings = [
  { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
  { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'dotnet-isolated' }
  // Storage by identity, read the same way by the Functions host and by the app (Microsoft.Extensions.Azure). Service
  // URIs rather than accountName: the account's own endpoints hold in every Azure cloud.
  { name: 'AzureWebJobsStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
  { name: 'AzureWebJobsStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
  { name: 'AzureWebJobsStorage__tableServiceUri', value: storage.properties.primaryEndpoints.table }
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
  // No Azure Files content share (WEBSITE_CONTENTAZUREFILECONNECTIONSTRING only takes a key): the app runs from this
  // blob, read with the identity.
  { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '${storage.properties.primaryEndpoints.blob}${packageContainer}/${packageBlob}' }
  { name: 'WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID', value: identity.id }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
  { name: 'Messaging__DefaultCountryCode', value: defaultCountryCode }
  { name: 'Drops__Container', value: dropsContainer }
  { name: 'Vendors__Qiscus__BaseUrl', value: qiscusBaseUrl }
  { name: 'Vendors__Qiscus__AppId', value: qiscusAppId }
  { name: 'Vendors__Qiscus__ChannelId', value: qiscusChannelId }
  { name: 'Vendors__Khoros__BaseUrl', value: khorosBaseUrl }
  { name: 'Vendors__Khoros__ChannelName', value: khorosChannelName }
  { name: 'Vendors__Khoros__ExternalId', value: khorosExternalId }
  { name: 'Vendors__Omnichat__BaseUrl', value: omnichatBaseUrl }
]

var keyVaultReferences = map(secretSettings, s => {
  name: s.setting
  value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${toLower(replace(s.setting, '__', '-'))})'
})

resource app 'Microsoft.Web/sites@2023-12-01' = {
  name: '${name}-${suffix}'
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    reserved: true
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: linuxFxVersion
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      healthCheckPath: '/api/health'
      appSettings: concat(plainSettings, keyVaultReferences)
    }
  }
  dependsOn: [
    storageRoles
    vaultSecretsUser
    insightsPublisher
    secrets
    containers
    tables
  ]
}

output functionAppName string = app.name
output functionAppUrl string = 'https://${app.properties.defaultHostName}/api'
output storageAccountName string = storage.name
output packageContainer string = packageContainer
output packageBlob string = packageBlob
output keyVaultName string = vault.name
