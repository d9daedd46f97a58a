using '../main.bicep'

param environmentName = 'dev'
param mailFrom = 'no-reply-dev@example.org'
param maximumInstanceCount = 10
// Trial environment: records on the single instance's disk, lost when it is recycled (docs/azure-records.md).
param allowInstanceLocalRecords = true
param logRetentionDays = 30
