using Ganss.Xss;
using Markdig;
using Microsoft.AspNetCore.Html;

namespace CodeChatter.Web.Rendering;

/// <summary>
/// Turns a person's Markdown note into HTML. This is the only place in the app that produces raw HTML:
/// Markdig with raw HTML disabled, then HtmlSanitizer on the result, so even a Markdig bug cannot let
/// a script, an event handler or a <c>javascript:</c> link through.
/// </summary>
public sealed class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .Build();

    private readonly HtmlSanitizer _sanitizer;

    public MarkdownRenderer()
    {
        _sanitizer = new HtmlSanitizer();
        // The page's CSP forbids inline styles anyway; dropping them keeps the markup honest.
        _sanitizer.AllowedAttributes.Remove("style");
        _sanitizer.AllowedSchemes.Clear();
        _sanitizer.AllowedSchemes.UnionWith(["http", "https", "mailto"]);
        _sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "a" } link)
            {
                link.SetAttribute("rel", "nofollow noopener noreferrer");
            }
        };
    }

    /// <summary>The note as sanitized HTML, ready to write into a page.</summary>
    public IHtmlContent Render(string markdown) =>
        new HtmlString(_sanitizer.Sanitize(Markdown.ToHtml(markdown ?? "", Pipeline)));
}
