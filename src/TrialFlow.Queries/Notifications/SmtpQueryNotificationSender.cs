using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Persistence;
using TrialFlow.Queries.Domain;
using TrialFlow.Queries.Service;

namespace TrialFlow.Queries.Notifications;

/// <summary>Section <c>TrialFlow:Mail</c>: the SMTP server query notifications are e-mailed through. Off unless enabled.</summary>
public sealed class MailOptions
{
    public bool Enabled { get; init; }

    public string Host { get; init; } = "localhost";

    public int Port { get; init; } = 25;

    /// <summary>None, StartTls or SslOnConnect.</summary>
    public SecureSocketOptions Security { get; init; } = SecureSocketOptions.StartTlsWhenAvailable;

    public string? UserName { get; init; }

    public string? Password { get; init; }

    public string From { get; init; } = "TrialFlow <trialflow@localhost>";

    /// <summary>The address of this TrialFlow in links (e.g. https://imaging.example.org).</summary>
    public string BaseUrl { get; init; } = "http://localhost:5000";

    public static MailOptions FromConfiguration(IConfiguration configuration) =>
        configuration.GetSection("TrialFlow:Mail").Get<MailOptions>() ?? new MailOptions();
}

/// <summary>
/// E-mails a query notification to the users of its role who see its site (site members for SiteUser and Monitor,
/// everyone with the role otherwise) and have an address. The text names the query, never subject data beyond its key.
/// </summary>
internal sealed class SmtpQueryNotificationSender(MailOptions options, IServiceScopeFactory scopes, ILogger<SmtpQueryNotificationSender> logger) : IQueryNotificationSender
{
    public async Task SendAsync(QueryNotification notification, Query query, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
            return;
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TrialFlowUser>>();
        var inRole = await users.GetUsersInRoleAsync(notification.RecipientRole);
        var recipients = inRole.Where(u => !string.IsNullOrWhiteSpace(u.Email)).ToList();
        if (TrialFlowRoles.SiteScoped.Contains(notification.RecipientRole))
        {
            var db = scope.ServiceProvider.GetRequiredService<IDbContextFactory<TrialFlowDbContext>>();
            await using var context = await db.CreateDbContextAsync(cancellationToken);
            var members = await context.SiteMemberships.IgnoreQueryFilters().Where(m => m.SiteId == query.SiteId).Select(m => m.UserId).ToListAsync(cancellationToken);
            recipients = recipients.Where(u => members.Contains(u.Id)).ToList();
        }
        if (recipients.Count == 0)
            return;

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        foreach (var user in recipients)
            message.Bcc.Add(new MailboxAddress(user.DisplayName, user.Email!));
        message.Subject = $"[TrialFlow] {notification.Title}";
        message.Body = new TextPart("plain")
        {
            Text = $"{notification.Title}\n\nStatus: {query.Status}, due {query.DueDate:yyyy-MM-dd} (site date).\n{options.BaseUrl.TrimEnd('/')}/queries/{query.Id}\n",
        };
        using var client = new SmtpClient();
        await client.ConnectAsync(options.Host, options.Port, options.Security, cancellationToken);
        if (!string.IsNullOrEmpty(options.UserName))
            await client.AuthenticateAsync(options.UserName, options.Password ?? "", cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
        logger.LogInformation("E-mailed {Title} to {Count} {Role} user(s)", notification.Title, recipients.Count, notification.RecipientRole);
    }
}
