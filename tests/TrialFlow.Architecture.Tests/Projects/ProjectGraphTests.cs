using System.Reflection;

namespace TrialFlow.Architecture.Tests.Projects;

/// <summary>
/// The one-way rule cannot drift: the project table in docs/architecture.md is checked against every src/*/*.csproj,
/// and only the host may reach for ASP.NET Core (so HttpContext cannot creep down into a module).
/// </summary>
public sealed class ProjectGraphTests
{
    private const string AspNetCore = "Microsoft.AspNetCore.App";

    // The web framework proper; Identity's EF store (Microsoft.AspNetCore.Identity.EntityFrameworkCore) is not among them.
    private static readonly string[] WebAssemblies = ["Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Mvc", "Microsoft.AspNetCore.Routing"];

    [Fact]
    public void Only_the_host_references_the_AspNetCore_framework()
    {
        var offenders = SourceProject.All
            .Where(p => p.Name != SourceProject.Host && p.FrameworkReferences.Contains(AspNetCore))
            .Select(p => $"{p.Name} has <FrameworkReference Include=\"{AspNetCore}\" />: reference the Microsoft.Extensions.* abstractions it needs, move web code to {SourceProject.Host}")
            .ToList();

        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void No_module_assembly_references_web_framework_assemblies()
    {
        var modules = SourceProject.Named(SourceProject.Host).Closure();
        var offenders = modules
            .Select(name => (name, references: Assembly.Load(SourceProject.Named(name).AssemblyName).GetReferencedAssemblies()))
            .SelectMany(m => m.references
                .Where(r => WebAssemblies.Any(web => r.Name == web || r.Name!.StartsWith(web + ".", StringComparison.Ordinal)))
                .Select(r => $"{m.name} references {r.Name}"))
            .ToList();

        Assert.NotEmpty(modules);
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void The_table_lists_exactly_the_source_projects()
    {
        var listed = ProjectTable.Read().Rows.Select(r => r.Project).ToList();
        var projects = SourceProject.All.Select(p => p.Name).ToList();

        var problems = projects.Except(listed).Select(p => $"{p} is in src/ but not in the table of {ProjectTable.Document}")
            .Concat(listed.Except(projects).Select(p => $"{p} is in the table of {ProjectTable.Document} but not in src/"))
            .Concat(listed.GroupBy(p => p).Where(g => g.Count() > 1).Select(g => $"{g.Key} is listed {g.Count()} times"))
            .ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Each_row_may_use_exactly_its_project_references()
    {
        var problems = new List<string>();
        foreach (var row in ProjectTable.Read().Rows)
        {
            if (SourceProject.All.SingleOrDefault(p => p.Name == row.Project) is not { } project)
                continue; // The_table_lists_exactly_the_source_projects names it
            var unlisted = project.ProjectReferences.Except(row.MayUse).ToList();
            var unused = row.MayUse.Except(project.ProjectReferences).ToList();
            if (unlisted.Count > 0 || unused.Count > 0)
                problems.Add($"{row.Project}: may use [{Short(row.MayUse)}] in the table, references [{Short(project.ProjectReferences)}]"
                             + (unlisted.Count > 0 ? $"; referenced but not in the table: {Short(unlisted)}" : "")
                             + (unused.Count > 0 ? $"; in the table but not referenced: {Short(unused)}" : ""));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_table_is_a_one_way_order()
    {
        var table = ProjectTable.Read();
        var problems = new List<string>();
        foreach (var row in table.Rows)
        {
            if (SourceProject.All.SingleOrDefault(p => p.Name == row.Project) is not { } project)
                continue;
            foreach (var used in project.ProjectReferences)
            {
                var at = table.IndexOf(used);
                if (at >= row.Number - 1)
                    problems.Add($"{row.Project} (row {row.Number}) uses {used}, listed below it (row {at + 1}): an arrow runs back up the table");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static string Short(IEnumerable<string> names) => string.Join(", ", names.Select(n => n.Replace("TrialFlow.", "", StringComparison.Ordinal)));
}
