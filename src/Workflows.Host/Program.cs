using Workflows.Host;
using Workflows.Host.Configuration;
using Workflows.Service;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddLocalSettings(builder.Environment.ContentRootPath);
builder.Services.AddWorkflowsHost(builder.Configuration);

var app = builder.Build();

// The same middleware and endpoints the Azure Functions host serves from its catch-all function.
app.UseWorkflowsPipeline();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
