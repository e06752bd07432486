using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrialFlow.Core.Events;
using TrialFlow.Core.Persistence;
using TrialFlow.Workflows;

// Usage: TrialFlow.Workflows.CrashHost --TrialFlow:DataDirectory=DIR  (runs until killed)
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddTrialFlowDatabase(builder.Configuration);
builder.Services.AddTrialFlowEvents(builder.Configuration);
builder.Services.AddTrialFlowWorkflows(builder.Configuration);
using var host = builder.Build();
await host.StartAsync();
Console.WriteLine("crash-host started");
await host.WaitForShutdownAsync();
