// API-shape stub of the NuGet package Microsoft.Azure.Functions.Worker.Extensions.Http (3.x, brought in by
// Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore 2.0.1): [HttpTrigger] and AuthorizationLevel. Checked
// against Azure/azure-functions-dotnet-worker: extensions/Worker.Extensions.Http/HttpTriggerAttribute.cs (commit
// 116c843f, all six constructors) and AuthorizationLevel.cs (values 0-4). AuthorizationLevel's namespace: the stored
// AuthorizationLevel.cs is an early version (namespace ...Worker.Extensions.Http); the current HttpTriggerAttribute.cs
// uses AuthorizationLevel unqualified inside namespace Microsoft.Azure.Functions.Worker with no using for
// ...Extensions.Http, so it lives in Microsoft.Azure.Functions.Worker (as every isolated-worker template relies on).

using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Microsoft.Azure.Functions.Worker;

public sealed class HttpTriggerAttribute : TriggerBindingAttribute
{
    public HttpTriggerAttribute() => this.AuthLevel = AuthorizationLevel.Function;

    public HttpTriggerAttribute(params string[] methods) => this.Methods = methods;

    public HttpTriggerAttribute(AuthorizationLevel authLevel) => this.AuthLevel = authLevel;

    public HttpTriggerAttribute(string authLevelKey) => this.AuthLevel = AuthorizationLevel.Function;

    public HttpTriggerAttribute(AuthorizationLevel authLevel, params string[] methods)
    {
        this.AuthLevel = authLevel;
        this.Methods = methods;
    }

    public HttpTriggerAttribute(string authLevelKey, params string[] methods)
    {
        this.AuthLevel = AuthorizationLevel.Function;
        this.Methods = methods;
    }

    public string? Route { get; set; }

    public string[]? Methods { get; private set; }

    public AuthorizationLevel AuthLevel { get; private set; }
}

public enum AuthorizationLevel
{
    Anonymous = 0,
    User = 1,
    Function = 2,
    System = 3,
    Admin = 4,
}
