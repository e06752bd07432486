// The namespaces most tests of this project use, once here instead of at the top of every file
// (the kernel's and the testbed's are global for every test project: tests/Directory.Build.props).
global using Microsoft.Extensions.DependencyInjection;
global using TrialFlow.Workflows.Activities;
global using TrialFlow.Workflows.Definitions;
global using TrialFlow.Workflows.Persistence;
global using TrialFlow.Workflows.Runtime;
global using TrialFlow.Workflows.Tests.Support;
global using TrialFlow.Workflows.Validation;
