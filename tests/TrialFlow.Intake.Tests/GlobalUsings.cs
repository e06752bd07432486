// The namespaces most tests of this project use, once here instead of at the top of every file
// (the kernel's and the testbed's are global for every test project: tests/Directory.Build.props).
global using System.Security.Cryptography;
global using TrialFlow.Dicom;
global using TrialFlow.Dicom.IO.Reading;
global using TrialFlow.Intake.Domain;
global using TrialFlow.Intake.Pipeline;
global using TrialFlow.Intake.Staging;
global using TrialFlow.Intake.Tests.Support;
