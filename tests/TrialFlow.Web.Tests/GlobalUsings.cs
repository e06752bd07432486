// The namespaces most tests of this project use, once here instead of at the top of every file
// (the kernel's and the testbed's are global for every test project: tests/Directory.Build.props).
global using Bunit;
global using Microsoft.AspNetCore.Identity;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Playwright;
global using MudBlazor.Services;
global using System.Diagnostics;
global using System.Globalization;
global using System.Net;
global using System.Net.Http.Headers;
global using System.Net.Http.Json;
global using System.Text;
global using System.Text.Json;
global using System.Text.Json.Serialization;
global using TrialFlow.Dicom;
global using TrialFlow.Dicom.IO.Reading;
global using TrialFlow.Dicom.Network;
global using TrialFlow.Intake.Domain;
global using TrialFlow.Intake.Pipeline;
global using TrialFlow.Review.Domain;
global using TrialFlow.Web.Security;
global using TrialFlow.Web.Tests.Support;
global using TrialFlow.Web.Viewer;
