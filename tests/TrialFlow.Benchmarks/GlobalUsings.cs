// The namespaces most tests of this project use, once here instead of at the top of every file
// (the kernel's and the testbed's are global for every test project: tests/Directory.Build.props).
global using Microsoft.Data.Sqlite;
global using Microsoft.Extensions.Configuration;
global using Microsoft.Extensions.DependencyInjection;
global using System.Diagnostics;
global using System.Globalization;
global using System.Security.Cryptography;
global using System.Text;
global using TrialFlow.Deid.Pseudonyms;
global using TrialFlow.Dicom;
global using TrialFlow.Edc.Sdtm;
global using TrialFlow.Intake.Domain;
global using TrialFlow.Intake.Pipeline;
global using TrialFlow.Qc.Facts;
global using TrialFlow.Queries.Domain;
global using TrialFlow.Queries.Service;
global using TrialFlow.Workflows.Persistence;
