using AngleSharp.Css.Dom;
using Ganss.Xss;
using Microsoft.AspNetCore.Html;

namespace CodeChatter.Web.Rendering;

/// <summary>
/// Cleans the HTML a snippet displayed (a pandas DataFrame's <c>_repr_html_</c>) before a page or the API
/// shows it. The markup is the snippet's, so it is hostile until proven otherwise: the allow-list is tables
/// and text formatting only, with no attribute but <c>colspan</c>/<c>rowspan</c> and no URL of any kind,
/// so nothing in it can run, load, link, submit or restyle the page. Tighter than the notes' sanitizer
/// (<see cref="MarkdownRenderer"/>), which keeps links.
/// </summary>
public sealed class DisplayHtmlSanitizer
{
    private static readonly string[] Tags =
    [
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
        "b", "i", "em", "strong", "code", "pre", "span", "div", "p", "br", "sub", "sup", "small",
    ];

    private readonly HtmlSanitizer _sanitizer;

    /// <summary>
    /// The one instance pages and the API use: configured once, then only read, which HtmlSanitizer allows
    /// from many threads at once.
    /// </summary>
    public static DisplayHtmlSanitizer Shared { get; } = new();

    /// <summary>Builds the allow-list.</summary>
    public DisplayHtmlSanitizer()
    {
        _sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(Tags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["colspan", "rowspan"], StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            AllowedAtRules = new HashSet<CssRuleType>(),
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
        });
        // A dropped <script> or <style> would otherwise leave its text behind as visible content.
        _sanitizer.KeepChildNodes = false;
    }

    /// <summary>The markup reduced to the allow-list.</summary>
    public string Sanitize(string? html) => _sanitizer.Sanitize(html ?? "");

    /// <summary>The markup reduced to the allow-list, ready to write into a page.</summary>
    public IHtmlContent Render(string? html) => new HtmlString(Sanitize(html));
}
