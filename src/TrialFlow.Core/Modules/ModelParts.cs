using System.Reflection;
using Microsoft.Extensions.DependencyModel;

namespace TrialFlow.Core.Modules;

/// <summary>
/// The assemblies whose entity configurations make up the database model of this process: the kernel and every
/// module the application ships with (a <see cref="TrialFlowModuleAttribute"/> on a TrialFlow assembly it references).
/// </summary>
/// <remarks>
/// Found from the application's dependency manifest (deps.json), not from the assemblies loaded so far: a module
/// whose types nobody has touched yet is still part of the model, so the model never depends on start-up order.
/// The web host and the EF tools (which run with the host's manifest) see every module; a test process sees the
/// modules its project references. The schema is the same everywhere (one ordered migration history); only what a
/// process can map differs.
/// </remarks>
public static class ModelParts
{
    private static readonly Lazy<IReadOnlyList<Assembly>> Discovered = new(Discover);

    /// <summary>The kernel first, then the modules by name.</summary>
    public static IReadOnlyList<Assembly> All => Discovered.Value;

    private static IReadOnlyList<Assembly> Discover()
    {
        var kernel = typeof(ModelParts).Assembly;
        var modules = CandidateNames()
            .Where(name => name.StartsWith("TrialFlow.", StringComparison.Ordinal) && name != kernel.GetName().Name)
            .Distinct(StringComparer.Ordinal)
            .Select(TryLoad)
            .OfType<Assembly>()
            .Where(a => a.GetCustomAttribute<TrialFlowModuleAttribute>() is not null)
            .OrderBy(a => a.GetName().Name, StringComparer.Ordinal);
        return [kernel, .. modules];
    }

    private static IEnumerable<string> CandidateNames()
    {
        // Both sources, because either can be partial: a test host's manifest may be the runner's own, and an
        // app may run without its manifest; every referenced project assembly is copied beside the app.
        var listed = DependencyContext.Default?.RuntimeLibraries.Select(l => l.Name) ?? [];
        var beside = Directory.EnumerateFiles(AppContext.BaseDirectory, "TrialFlow.*.dll").Select(Path.GetFileNameWithoutExtension).OfType<string>();
        return listed.Concat(beside);
    }

    private static Assembly? TryLoad(string name)
    {
        try
        {
            return Assembly.Load(new AssemblyName(name));
        }
        catch (FileNotFoundException)
        {
            return null; // listed in the manifest but not deployed (e.g. a compile-only reference)
        }
    }
}
