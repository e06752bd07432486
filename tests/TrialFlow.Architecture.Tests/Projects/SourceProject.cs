using System.Xml.Linq;

namespace TrialFlow.Architecture.Tests.Projects;

/// <summary>One project under src/, as its .csproj declares it: what it references directly, and its assembly's name.</summary>
internal sealed record SourceProject(string Name, string AssemblyName, IReadOnlyList<string> ProjectReferences, IReadOnlyList<string> FrameworkReferences)
{
    public const string Host = "TrialFlow.Web";

    /// <summary>Every src/*/*.csproj, read from disk: the facts the tests compare everything else with.</summary>
    public static IReadOnlyList<SourceProject> All { get; } = Directory.GetDirectories(Repository.Path("src"))
        .SelectMany(dir => Directory.GetFiles(dir, "*.csproj"))
        .Select(Read)
        .OrderBy(p => p.Name, StringComparer.Ordinal)
        .ToList();

    public static SourceProject Named(string name) => All.Single(p => p.Name == name);

    /// <summary>The projects this one reaches through ProjectReferences, directly or not.</summary>
    public IReadOnlySet<string> Closure()
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(ProjectReferences);
        while (pending.TryPop(out var name))
            if (seen.Add(name))
                foreach (var next in Named(name).ProjectReferences)
                    pending.Push(next);
        return seen;
    }

    private static SourceProject Read(string path)
    {
        var xml = XDocument.Load(path);
        var name = Path.GetFileNameWithoutExtension(path);
        IReadOnlyList<string> Includes(string item, Func<string, string> nameOf) => xml.Descendants(item)
            .Select(e => nameOf((string?)e.Attribute("Include") ?? ""))
            .Order(StringComparer.Ordinal)
            .ToList();
        return new SourceProject(
            name,
            xml.Descendants("AssemblyName").Select(e => e.Value.Trim()).FirstOrDefault() ?? name,
            Includes("ProjectReference", include => Path.GetFileNameWithoutExtension(include.Replace('\\', '/'))), // ..\TrialFlow.Core\TrialFlow.Core.csproj
            Includes("FrameworkReference", include => include.Trim())); // Microsoft.AspNetCore.App: a name, not a path
    }
}
