using System.Globalization;

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

    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static string Iso(DateTime utc) => utc.ToString("O", CultureInfo.InvariantCulture);
}
