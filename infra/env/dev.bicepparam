using '../main.bicep'

param environmentName = 'dev'
param mailFrom = 'no-reply-dev@example.org'
param maximumInstanceCount = 10
param logRetentionDays = 30
