// The namespaces most tests of this project use, once here instead of at the top of every file
// (the kernel's and the testbed's are global for every test project: tests/Directory.Build.props).
global using System.Buffers.Binary;
global using System.Diagnostics;
global using System.Text.Json.Nodes;
global using TrialFlow.Dicom.IO;
global using TrialFlow.Dicom.IO.Reading;
global using TrialFlow.Dicom.IO.Writing;
global using TrialFlow.Dicom.Json;
global using TrialFlow.Dicom.Network;
global using TrialFlow.Dicom.Pixels;
global using TrialFlow.Dicom.Tests.Oracles;
global using Xunit.Abstractions;
