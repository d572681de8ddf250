using System.Collections.Frozen;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace CodeChatter.Web.Pages.Shared;

/// <summary>
/// A run's status as a badge, <c>&lt;span class="status status-timed_out" data-status="timed_out"&gt;Timed out&lt;/span&gt;</c>
/// (the words for people, the wire name for scripts and styles), or <c>running</c> while it is in flight. The one helper every page draws a status with. The markup of each status is built once: pages show hundreds.
/// </summary>
public static class StatusBadge
{
    private static readonly FrozenDictionary<RunStatus, IHtmlContent> Finished =
        Enum.GetValues<RunStatus>().ToFrozenDictionary(status => status, status => (IHtmlContent)Build(status.ToWireName(), RunWording.Label(status)));

    private static readonly IHtmlContent Running = Build(RunningStatus.WireName, RunWording.Label(null));

    /// <summary>The badge of a finished run's status, or of a run still running when <paramref name="status"/> is null.</summary>
    public static IHtmlContent For(RunStatus? status) => status is { } finished ? Finished[finished] : Running;

    private static HtmlString Build(string wire, string label)
    {
        var span = new TagBuilder("span");
        span.AddCssClass($"status status-{wire}");
        span.Attributes["data-status"] = wire;
        span.InnerHtml.Append(label);
        using var writer = new StringWriter();
        span.WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
        return new HtmlString(writer.ToString());
    }
}
