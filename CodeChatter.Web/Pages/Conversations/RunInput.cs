using System.ComponentModel.DataAnnotations;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>
/// The compose form's fields. Nullable on purpose: the run service checks them (one set of rules for
/// pages and API) and the page maps its answers onto these fields.
/// </summary>
public sealed class RunInput
{
    [Display(Name = "Language")]
    public string? Language { get; set; }

    [Display(Name = "Code")]
    public string? Code { get; set; }

    [Display(Name = "Standard input (optional)")]
    public string? Stdin { get; set; }

    /// <summary>
    /// Turns the CRLF a browser sends for every line break of a textarea into LF before anything checks,
    /// stores or runs the text: bash reads the CR as part of the line (<c>fi\r</c> is no <c>fi</c>). The
    /// API takes text exactly as sent; only forms add the CRs.
    /// </summary>
    public void UseUnixLineEndings()
    {
        Code = ToLf(Code);
        Stdin = ToLf(Stdin);
    }

    private static string? ToLf(string? text) => text?.Replace("\r\n", "\n", StringComparison.Ordinal);
}

/// <summary>The note form's field.</summary>
public sealed class NoteInput
{
    [Display(Name = "Note (Markdown)")]
    public string? Text { get; set; }
}
