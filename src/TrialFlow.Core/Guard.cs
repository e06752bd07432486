namespace TrialFlow.Core;

/// <summary>Argument checks shared by the domain objects of the kernel and the modules.</summary>
public static class Guard
{
    /// <summary>The trimmed text, or an error naming the argument when there is none.</summary>
    public static string Required(string value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{name} is required.", name) : value.Trim();
}
