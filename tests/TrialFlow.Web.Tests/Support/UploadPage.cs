using System.Text.RegularExpressions;

namespace TrialFlow.Web.Tests.Support;

/// <summary>The upload page as a site user drives it in the browser.</summary>
public static partial class UploadPage
{
    /// <summary>Signs in as the site user of site 101 and waits until the form is interactive with the site preselected.</summary>
    public static async Task OpenAsync(IPage page, TrialFlowApp app)
    {
        await Browsers.SignInAsync(page, app, "t-siteuser", "/upload");
        await page.WaitForInteractiveAsync("#upload-form");
        await WaitUntilUploadIsEnabledAsync(page);
    }

    public static async Task StartAsync(IPage page, IEnumerable<string> files)
    {
        await page.SetInputFilesAsync("#upload-files", files);
        await page.ClickAsync("#upload-start");
    }

    public static Task WaitUntilUploadIsEnabledAsync(IPage page) =>
        page.WaitForFunctionAsync("() => !document.querySelector('#upload-start').disabled");

    /// <summary>The summary's rows: file name → (outcome, reason).</summary>
    public static async Task<Dictionary<string, (string Outcome, string Reason)>> SummaryRowsAsync(IPage page)
    {
        var rows = new Dictionary<string, (string, string)>();
        foreach (var row in await page.Locator("#upload-summary tr.upload-file").AllAsync())
            rows[(await row.Locator(".upload-file-name").InnerTextAsync()).Trim()] =
                ((await row.Locator(".upload-file-outcome").InnerTextAsync()).Trim(), (await row.Locator(".upload-file-reason").InnerTextAsync()).Trim());
        return rows;
    }

    /// <summary>
    /// Whether <paramref name="text"/> shows a script failure the way browsers print one: an "Error:" prefix or a stack
    /// frame ("at request (http://…/upload.js:12:5)").
    /// </summary>
    public static bool ShowsScriptError(string text) => text.Contains("Error:", StringComparison.Ordinal) || StackFrame().IsMatch(text);

    [GeneratedRegex(@"\bat\s+\S*\s*\(?\S+\.js:\d+(:\d+)?\)?|\bat\s+https?://")]
    private static partial Regex StackFrame();
}
