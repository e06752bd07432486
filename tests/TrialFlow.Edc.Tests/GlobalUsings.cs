// The namespaces most tests of this project use, once here instead of at the top of every file
// (the kernel's and the testbed's are global for every test project: tests/Directory.Build.props).
global using Microsoft.Extensions.Configuration;
global using System.Xml.Linq;
global using TrialFlow.Edc;
global using TrialFlow.Edc.Sdtm;
global using TrialFlow.Edc.Tests.Support;
global using TrialFlow.Workflows.Persistence;
