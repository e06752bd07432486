using TrialFlow.Core.Seeding;
using TrialFlow.Web.Trials;

namespace TrialFlow.Web.Tests.Trials;

/// <summary>The trial templates shipped in templates/trials and what a broken one says.</summary>
public sealed class TrialTemplateTests
{
    [Fact]
    public void Every_shipped_template_loads_and_the_demo_trial_is_an_instance_of_the_oncology_template()
    {
        var catalog = TrialTemplateCatalog.FromDirectory(Repository.Path("templates", "trials"));
        var demo = TrialSeedFile.Load(Repository.Path("templates", "demo", "demo-trial.json"));

        var oncology = catalog.Find("oncology-recist-bicr");

        Assert.NotNull(oncology);
        Assert.Equal(
            demo.VisitSchedule.Select(v => new VisitPlan(v.VisitKey, v.Name, v.NominalDay, v.WindowBeforeDays, v.WindowAfterDays)),
            oncology.VisitSchedule);
        Assert.Equal(["qc-gate", "bicr-2-readers-adjudication"], oncology.Workflows);
        Assert.All(oncology.Workflows, w => Assert.True(File.Exists(Repository.Path("workflows", $"{w}.json")), $"workflows/{w}.json"));
    }

    [Theory]
    [InlineData("{ \"description\": \"no name\", \"visitSchedule\": [], \"workflows\": [] }", "a trial template needs a \"name\"")]
    [InlineData("{ \"name\": \"n\", \"visitSchedule\": [], \"workflows\": [] }", "a trial template needs a \"visitSchedule\" with at least one visit")]
    [InlineData("{ \"name\": \"n\",\n  \"visitSchedulle\": [] }", ":2: ")]
    [InlineData("{ \"name\": \"n\",\n\n  \"visitSchedule\": [ { \"visitKey\": 1 } ] }", ":3: ")]
    public void A_broken_template_is_an_error_naming_its_file_and_what_is_wrong(string json, string expected)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("trialflow-template-").FullName, "broken.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<InvalidDataException>(() => TrialTemplate.Load(path));

        Assert.StartsWith(path, error.Message);
        Assert.Contains(expected, error.Message);
    }
}
