using '../main.bicep'

param environmentName = 'prod'
param mailFrom = 'no-reply@example.org'
param maximumInstanceCount = 100
param instanceMemoryMB = 4096
param logRetentionDays = 365
