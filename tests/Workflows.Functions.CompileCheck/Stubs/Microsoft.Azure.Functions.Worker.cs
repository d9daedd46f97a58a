// API-shape stub of the NuGet package Microsoft.Azure.Functions.Worker 2.1.0 (as pinned in src/Workflows.Functions):
// the FunctionsApplication builder used by Program.cs. Checked against Azure/azure-functions-dotnet-worker:
// src/DotNetWorker/Builder/FunctionsApplication.cs, src/DotNetWorker/Builder/FunctionsApplicationBuilder.cs.
// The real builder also implements IFunctionsWorkerApplicationBuilder (Use(middleware)); left out. Its constructor is
// internal in the package; here it is private so that nothing in the checked sources can call it either.
#pragma warning disable IDE0060 // placeholders ignore their parameters

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Azure.Functions.Worker.Builder;

public class FunctionsApplication
{
    public static FunctionsApplicationBuilder CreateBuilder(string[] args) => throw new NotSupportedException("compile-check stub");
}

public class FunctionsApplicationBuilder : IHostApplicationBuilder
{
    private FunctionsApplicationBuilder()
    {
    }

    public IDictionary<object, object> Properties => throw new NotSupportedException("compile-check stub");

    IConfigurationManager IHostApplicationBuilder.Configuration => this.Configuration;

    public ConfigurationManager Configuration => throw new NotSupportedException("compile-check stub");

    public IHostEnvironment Environment => throw new NotSupportedException("compile-check stub");

    public ILoggingBuilder Logging => throw new NotSupportedException("compile-check stub");

    public IMetricsBuilder Metrics => throw new NotSupportedException("compile-check stub");

    public IServiceCollection Services => throw new NotSupportedException("compile-check stub");

    public IHost Build() => throw new NotSupportedException("compile-check stub");

    public void ConfigureContainer<TContainerBuilder>(IServiceProviderFactory<TContainerBuilder> factory, Action<TContainerBuilder>? configure = null)
        where TContainerBuilder : notnull => throw new NotSupportedException("compile-check stub");
}
