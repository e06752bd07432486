// The namespaces most tests of this project use, once here instead of at the top of every file
// (the kernel's and the testbed's are global for every test project: tests/Directory.Build.props).
global using TrialFlow.Qc.Domain;
global using TrialFlow.Qc.Facts;
global using TrialFlow.Qc.Protocols;
global using TrialFlow.Qc.Rules;
global using TrialFlow.Qc.Tests.Support;
