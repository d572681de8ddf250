using CodeChatter.Core.Search;
using CodeChatter.Web.Pages.Shared;
using Microsoft.AspNetCore.Html;

namespace CodeChatter.Web.Pages.Search;

/// <summary>
/// Draws a search excerpt: every part HTML-encoded first, then the matched parts wrapped in <c>&lt;mark&gt;</c>.
/// The marks are the only markup, so stored output such as <c>&lt;script&gt;</c> stays text.
/// </summary>
public static class HighlightedHtml
{
    public static IHtmlContent Render(HighlightedText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var html = new HtmlContentBuilder();
        foreach (var part in text.Parts)
        {
            if (part.IsMatch) html.AppendHtml("<mark>");
            html.Append(Format.Output(part.Text));
            if (part.IsMatch) html.AppendHtml("</mark>");
        }
        return html;
    }
}
