// API-shape stub of the NuGet package Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore 2.0.1 (as pinned in
// src/Workflows.Functions): ConfigureFunctionsWebApplication on the FunctionsApplicationBuilder. HttpRequest,
// IActionResult and the MVC results come from the real ASP.NET Core shared framework (FrameworkReference), not stubs.
// Checked against Azure/azure-functions-dotnet-worker:
// extensions/Worker.Extensions.Http.AspNetCore/src/FunctionsApplicationBuilderAspNetCoreExtensions.cs (namespace
// Microsoft.Azure.Functions.Worker.Builder; the overload taking an Action<IFunctionsWorkerApplicationBuilder> is left
// out, as is the IHostBuilder extension in Microsoft.Extensions.Hosting).

namespace Microsoft.Azure.Functions.Worker.Builder;

public static class FunctionsApplicationBuilderAspNetCoreExtensions
{
    public static FunctionsApplicationBuilder ConfigureFunctionsWebApplication(this FunctionsApplicationBuilder builder) =>
        throw new NotSupportedException("compile-check stub");
}
