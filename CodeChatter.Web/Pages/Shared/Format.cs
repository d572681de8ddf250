using System.Globalization;
using CodeChatter.Web.Rendering;
using Microsoft.AspNetCore.Html;

namespace CodeChatter.Web.Pages.Shared;

/// <summary>How numbers and times read on the pages.</summary>
public static class Format
{
    public static string Bytes(long? bytes) => bytes switch
    {
        null => "n/a",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes.Value / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => (bytes.Value / (1024d * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
    };

    public static string Milliseconds(long? ms) => ms is null ? "n/a" : ms.Value.ToString("N0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>A duration in seconds: "10 s", "2.5 s".</summary>
    public static string Seconds(long ms) => (ms / 1000d).ToString("0.###", CultureInfo.InvariantCulture) + " s";

    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>
    /// A <c>&lt;time&gt;</c> showing the UTC instant, which js/local-time.js turns into the viewer's local time,
    /// keeping the UTC instant as its tooltip; without script it stays in UTC.
    /// </summary>
    public static IHtmlContent TimeTag(DateTime utc)
    {
        // One string instead of a TagBuilder: a conversation page draws two of these a message. Both formats
        // write only digits, letters, spaces and - : . (nothing HTML-encoding would change).
        var text = Time(utc);
        return new HtmlString($"<time datetime=\"{Iso(utc)}\" title=\"{text}\">{text}</time>");
    }

    public static string Iso(DateTime utc) => utc.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// A run's output for a page: a NUL the snippet printed shows as the ␀ symbol, since HTML has no way to
    /// show the character itself (a parser reads it as U+FFFD). The API and the event stream keep the exact text.
    /// </summary>
    public static string Output(string text) => text.Replace('\0', '\u2400');

    /// <summary>A run's output for a page with its ANSI colours as coloured text (see <see cref="AnsiOutput"/>).</summary>
    public static IHtmlContent ColouredOutput(string text) => new AnsiOutput(Output(text));
}
