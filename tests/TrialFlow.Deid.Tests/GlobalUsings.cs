// The namespaces most tests of this project use, once here instead of at the top of every file
// (the kernel's and the testbed's are global for every test project: tests/Directory.Build.props).
global using TrialFlow.Deid.Engine;
global using TrialFlow.Deid.Profiles;
global using TrialFlow.Dicom;
global using TrialFlow.Dicom.IO.Reading;
global using TrialFlow.Dicom.IO.Writing;
