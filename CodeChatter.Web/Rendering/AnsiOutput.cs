using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace CodeChatter.Web.Rendering;

/// <summary>
/// A run's output with its ANSI colours as HTML: SGR sequences (<c>ESC[…m</c>: 30–37, 90–97, 40–47,
/// 100–107, 39, 49, bold 1, 22 and reset 0) become <c>&lt;span class="ansi-…"&gt;</c> from a fixed palette
/// in site.css; every other escape sequence is left out of the display. The stored output keeps the raw bytes.
/// wwwroot/js/ansi.js applies the same rules to live chunks.
/// </summary>
/// <remarks>
/// Why this raw HTML is safe: the text between escape sequences is written through the page's own
/// <see cref="HtmlEncoder"/> (exactly what Razor's <c>@</c> does); the only markup added is a span whose
/// class names come from the constants below, never from the output, and no inline style (the CSP has none).
/// Parsing is one pass with no backtracking, and numbers saturate, so hostile output cannot make it slow.
/// </remarks>
public sealed class AnsiOutput(string text) : IHtmlContent
{
    private const char Escape = '\u001b';

    /// <summary>Most parameters honoured in one sequence; the rest are read and ignored.</summary>
    private const int MaxParameters = 16;

    /// <summary>The output as HTML, encoded with <see cref="HtmlEncoder.Default"/> (for tests and non-Razor callers).</summary>
    public static string ToHtml(string text)
    {
        using var writer = new StringWriter();
        new AnsiOutput(text).WriteTo(writer, HtmlEncoder.Default);
        return writer.ToString();
    }

    public void WriteTo(TextWriter writer, HtmlEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(encoder);
        if (!text.Contains(Escape))
        {
            encoder.Encode(writer, text);
            return;
        }
        var style = default(Style);
        var spanOpen = false;
        var i = 0;
        while (i < text.Length)
        {
            var next = text.IndexOf(Escape, i);
            var end = next < 0 ? text.Length : next;
            if (end > i)
            {
                if (!spanOpen && !style.IsPlain)
                {
                    writer.Write("<span class=\"");
                    writer.Write(style.ClassNames());
                    writer.Write("\">");
                    spanOpen = true;
                }
                encoder.Encode(writer, text, i, end - i);
            }
            if (next < 0) break;
            var (after, sgr) = ReadSequence(text, next);
            if (sgr is { } parameters)
            {
                var changed = style.Apply(text, parameters);
                if (changed != style && spanOpen)
                {
                    writer.Write("</span>");
                    spanOpen = false;
                }
                style = changed;
            }
            i = after;
        }
        if (spanOpen) writer.Write("</span>");
    }

    /// <summary>
    /// Reads the escape sequence at <paramref name="start"/>: returns where the text goes on and, for an SGR
    /// sequence, the range of its parameters. An unterminated sequence runs to the end of the text.
    /// </summary>
    private static (int After, Range? Sgr) ReadSequence(string text, int start)
    {
        var i = start + 1;
        if (i >= text.Length) return (i, null);
        var kind = text[i];
        if (kind < '\u0020') return (i, null); // A lone ESC before a control character (a newline): keep the character.
        i++;
        switch (kind)
        {
            case '[': // CSI: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, one final byte 0x40–0x7E.
                var parametersStart = i;
                while (i < text.Length && text[i] is >= '\u0030' and <= '\u003f') i++;
                var parametersEnd = i;
                while (i < text.Length && text[i] is >= '\u0020' and <= '\u002f') i++;
                if (i >= text.Length) return (i, null);
                var final = text[i];
                if (final is < '\u0040' or > '\u007e') return (i, null); // Malformed: drop what was read, show the rest.
                var isSgr = final == 'm' && parametersEnd == i;
                return (i + 1, isSgr ? parametersStart..parametersEnd : null);
            case ']' or 'P' or '_' or '^' or 'X': // OSC, DCS, APC, PM, SOS: up to BEL or ESC \.
                while (i < text.Length)
                {
                    if (text[i] == '\u0007') return (i + 1, null);
                    if (text[i] == Escape) return (i + 1 < text.Length && text[i + 1] == '\\' ? i + 2 : i, null);
                    i++;
                }
                return (i, null);
            default: // A two-character escape (ESC c, ESC 7, ...), or ESC plus intermediates and a final byte.
                while (kind is >= '\u0020' and <= '\u002f' && i < text.Length) kind = text[i++];
                return (i, null);
        }
    }

    /// <summary>The colours in force: 0 is the default, 1–16 a palette entry plus one.</summary>
    private readonly record struct Style(byte Foreground, byte Background, bool Bold)
    {
        public bool IsPlain => Foreground == 0 && Background == 0 && !Bold;

        public string ClassNames()
        {
            var names = new List<string>(3);
            if (Bold) names.Add("ansi-bold");
            if (Foreground > 0) names.Add(ForegroundClasses[Foreground - 1]);
            if (Background > 0) names.Add(BackgroundClasses[Background - 1]);
            return string.Join(' ', names);
        }

        public Style Apply(string text, Range parameters)
        {
            var (offset, length) = parameters.GetOffsetAndLength(text.Length);
            if (length == 0) return default;
            var style = this;
            var count = 0;
            var value = 0;
            var skip = 0; // Arguments of 38/48 (256 colours, RGB) that are read past, not shown.
            for (var i = offset; i <= offset + length; i++)
            {
                var c = i < offset + length ? text[i] : ';';
                if (c is >= '0' and <= '9')
                {
                    value = Math.Min(value * 10 + (c - '0'), 100_000);
                    continue;
                }
                if (c is not (';' or ':')) return style; // Private parameters (<, =, >, ?): not a colour.
                if (++count > MaxParameters) break;
                if (skip > 0)
                {
                    skip = skip == -1 ? value switch { 5 => 1, 2 => 3, _ => 0 } : skip - 1;
                }
                else
                {
                    switch (value)
                    {
                        case 0: style = default; break;
                        case 1: style = style with { Bold = true }; break;
                        case 22: style = style with { Bold = false }; break;
                        case >= 30 and <= 37: style = style with { Foreground = (byte)(value - 30 + 1) }; break;
                        case >= 90 and <= 97: style = style with { Foreground = (byte)(value - 90 + 9) }; break;
                        case 39: style = style with { Foreground = 0 }; break;
                        case >= 40 and <= 47: style = style with { Background = (byte)(value - 40 + 1) }; break;
                        case >= 100 and <= 107: style = style with { Background = (byte)(value - 100 + 9) }; break;
                        case 49: style = style with { Background = 0 }; break;
                        case 38 or 48: skip = -1; break;
                    }
                }
                value = 0;
            }
            return style;
        }
    }

    private static readonly string[] ForegroundClasses = Enumerable.Range(0, 16).Select(n => $"ansi-fg-{n}").ToArray();
    private static readonly string[] BackgroundClasses = Enumerable.Range(0, 16).Select(n => $"ansi-bg-{n}").ToArray();
}
