using Microsoft.Extensions.Configuration;

namespace TrialFlow.Review.Service;

/// <summary>Where the form templates are (section <c>TrialFlow:Review</c>).</summary>
public sealed class ReviewOptions
{
    /// <summary>Folder of form templates (default <c>templates/forms</c>).</summary>
    public required string FormsDirectory { get; init; }

    public static ReviewOptions FromConfiguration(IConfiguration configuration, string baseDirectory)
    {
        var path = configuration["TrialFlow:Review:Forms"];
        path = string.IsNullOrWhiteSpace(path) ? Path.Combine("templates", "forms") : path;
        return new ReviewOptions { FormsDirectory = Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path) };
    }
}
