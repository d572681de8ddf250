using System.Globalization;
using CodeChatter.Core.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Areas.Admin.Pages.Sessions;

/// <summary>Every live session on this server, the longest idle first, each with a button that ends it.</summary>
public class IndexModel(LiveSessionAdministration sessions) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    public IReadOnlyList<LiveSessionRow> Sessions { get; private set; } = [];

    public async Task OnGetAsync() => Sessions = await sessions.ListAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostEndAsync(Guid id)
    {
        var result = await sessions.EndAsync(User.UserId(), id, HttpContext.RequestAborted);
        StatusMessage = result.Message;
        return RedirectToPage();
    }

    /// <summary>A span as people say it: "45 s", "3 min 5 s", "2 h 10 min".</summary>
    public static string Duration(TimeSpan span)
    {
        var culture = CultureInfo.InvariantCulture;
        if (span.TotalMinutes < 1) return string.Create(culture, $"{(int)span.TotalSeconds} s");
        if (span.TotalHours < 1) return string.Create(culture, $"{(int)span.TotalMinutes} min {span.Seconds} s");
        return string.Create(culture, $"{(int)span.TotalHours} h {span.Minutes} min");
    }
}
