// API-shape stub of the NuGet package Azure.Identity 1.14.2 (as pinned in src/Workflows.Functions): DefaultAzureCredential.
// Checked against the package's public API listing in Azure/azure-sdk-for-net:
// sdk/identity/Azure.Identity/api/Azure.Identity.netstandard2.0.cs (both constructors) and
// sdk/identity/Azure.Identity/src/Credentials/DefaultAzureCredential.cs. Options' many properties are left out.
#pragma warning disable IDE0060 // placeholders ignore their parameters

using Azure.Core;

namespace Azure.Identity;

public class DefaultAzureCredential : TokenCredential
{
    public DefaultAzureCredential(bool includeInteractiveCredentials = false)
    {
    }

    public DefaultAzureCredential(DefaultAzureCredentialOptions options)
    {
    }
}

public class DefaultAzureCredentialOptions
{
}
