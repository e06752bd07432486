// The namespaces most tests of this project use, once here instead of at the top of every file
// (the kernel's and the testbed's are global for every test project: tests/Directory.Build.props).
global using TrialFlow.Dicom;
global using TrialFlow.Retrieval.Cohorts;
global using TrialFlow.Retrieval.Planning;
global using TrialFlow.Retrieval.Domain;
global using TrialFlow.Retrieval.Jobs;
global using TrialFlow.Retrieval.Pacs;
