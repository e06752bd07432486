using System.Text.RegularExpressions;

namespace TrialFlow.Architecture.Tests.Projects;

/// <summary>
/// The host keeps a module's endpoints, pages and components in one folder named after the module (docs/architecture.md):
/// a change to a module's web side has one place to go, and its namespace says which module it belongs to.
/// </summary>
public sealed partial class HostFoldersTests
{
    [Fact]
    public void Every_module_the_host_shows_has_one_folder_in_the_host_whose_code_is_in_the_modules_namespace()
    {
        var host = Repository.Path("src", SourceProject.Host);
        var modules = SourceProject.Named(SourceProject.Host).ProjectReferences
            .Select(reference => reference["TrialFlow.".Length..])
            .Where(module => module != "Core")
            .ToList();
        var offenders = new List<string>();
        foreach (var module in modules)
        {
            var folder = Path.Combine(host, module);
            if (!Directory.Exists(folder))
            {
                offenders.Add($"{module}: no folder src/{SourceProject.Host}/{module}/ for its endpoints and pages");
                continue;
            }
            foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
                if (Namespace().Match(File.ReadAllText(file)) is { Success: true } declared && declared.Groups[1].Value != $"TrialFlow.Web.{module}")
                    offenders.Add($"{Path.GetRelativePath(host, file)} declares namespace {declared.Groups[1].Value}, not TrialFlow.Web.{module}");
        }

        Assert.NotEmpty(modules);
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex Namespace();
}
