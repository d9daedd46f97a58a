using Workflows.Host;
using Workflows.Host.Apis;
using Workflows.Host.Configuration;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddLocalSettings(builder.Environment.ContentRootPath);
builder.Services.AddWorkflowsHost(builder.Configuration);

var app = builder.Build();
app.UseWorkflowsHost();
app.MapWorkflowsApis();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
