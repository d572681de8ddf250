using System.Globalization;

namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// Keeps the rich items one message displayed, within its caps (images per message, bytes of rich
/// output per message), and the files it left in its working folder, within theirs (files per message,
/// bytes per file), and counts what was left out or refused so the reply can say so.
/// </summary>
internal sealed class RichOutputCollector(int maxImages, int maxBytes, int maxFiles = 0, int maxFileBytes = 0)
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly List<RichOutput> _outputs = [];
    private int _bytes;
    private int _imagesOverLimit;
    private int _itemsOverSize;
    private int _notPng;
    private int _unknownType;
    private int _malformed;
    private int _filesOverLimit;
    private int _filesOverSize;

    /// <summary>The items kept, in the order they were shown.</summary>
    public IReadOnlyList<RichOutput> Outputs => _outputs;

    /// <summary>Bytes of rich output that may still be kept.</summary>
    public int RemainingBytes => maxBytes - _bytes;

    /// <summary>Whether an item of <paramref name="mediaType"/> would be left out whatever its size (too many images or files).</summary>
    public bool WouldRefuseByCount(string mediaType) => mediaType switch
    {
        RichMediaTypes.Png => Count(RichMediaTypes.Png) >= maxImages,
        RichMediaTypes.File => Count(RichMediaTypes.File) >= maxFiles,
        _ => false,
    };

    /// <summary>Whether a record of <paramref name="mediaType"/> is taken at all (a displayed item or a file).</summary>
    public static bool Accepts(string mediaType) => RichMediaTypes.IsKnown(mediaType) || mediaType == RichMediaTypes.File;

    /// <summary>
    /// The largest payload (decoded bytes) a record of <paramref name="mediaType"/> may carry and still be
    /// kept: the rich-output bytes left, or for a file its cap plus room for its name.
    /// </summary>
    public long RoomFor(string mediaType) =>
        mediaType == RichMediaTypes.File ? (long)maxFileBytes + MaxReportedNameBytes + 1 : Math.Max(0, RemainingBytes);

    /// <summary>Most bytes of a file's reported name read (longer names are cut by <see cref="Chat.Attachments.FileNames.ForOutput"/>).</summary>
    private const int MaxReportedNameBytes = 4096;

    private int Count(string mediaType) => _outputs.Count(output => output.MediaType == mediaType);

    /// <summary>Checks one displayed item and keeps it when it is acceptable and within the caps.</summary>
    public void Offer(string mediaType, byte[] data, int stdoutPosition)
    {
        if (mediaType == RichMediaTypes.File)
        {
            OfferFile(data, stdoutPosition);
            return;
        }
        if (!RichMediaTypes.IsKnown(mediaType))
        {
            _unknownType++;
            return;
        }
        if (mediaType == RichMediaTypes.Png && !data.AsSpan().StartsWith(PngSignature))
        {
            _notPng++;
            return;
        }
        if (WouldRefuseByCount(mediaType))
        {
            _imagesOverLimit++;
            return;
        }
        if (data.Length > RemainingBytes)
        {
            _itemsOverSize++;
            return;
        }
        _bytes += data.Length;
        _outputs.Add(new RichOutput(mediaType, data, stdoutPosition));
    }

    // A file record is its reported relative path, NUL, then its bytes.
    private void OfferFile(byte[] data, int stdoutPosition)
    {
        var separator = Array.IndexOf(data, (byte)0, 0, Math.Min(data.Length, MaxReportedNameBytes + 1));
        if (separator < 0)
        {
            _malformed++;
            return;
        }
        if (WouldRefuseByCount(RichMediaTypes.File))
        {
            _filesOverLimit++;
            return;
        }
        var content = data[(separator + 1)..];
        if (content.Length > maxFileBytes)
        {
            _filesOverSize++;
            return;
        }
        var name = Chat.Attachments.FileNames.ForOutput(System.Text.Encoding.UTF8.GetString(data, 0, separator));
        _outputs.Add(new RichOutput(RichMediaTypes.File, content, stdoutPosition) { FileName = name });
    }

    /// <summary>An item left out unread because it did not fit the caps (decided from its announced size or type).</summary>
    public void SkippedUnread(string mediaType)
    {
        if (mediaType == RichMediaTypes.File)
        {
            if (WouldRefuseByCount(mediaType)) _filesOverLimit++;
            else _filesOverSize++;
        }
        else if (!RichMediaTypes.IsKnown(mediaType)) _unknownType++;
        else if (WouldRefuseByCount(mediaType)) _imagesOverLimit++;
        else _itemsOverSize++;
    }

    /// <summary>A display record whose payload could not be decoded.</summary>
    public void Malformed() => _malformed++;

    /// <summary>What was left out or refused, in words; null when nothing was.</summary>
    public string? Omitted
    {
        get
        {
            var parts = new List<string>();
            if (_imagesOverLimit > 0) parts.Add($"{Count(_imagesOverLimit, "image")} left out (limit {maxImages} per message)");
            if (_itemsOverSize > 0) parts.Add($"{Count(_itemsOverSize, "item")} left out (limit {Size(maxBytes)} of rich output per message)");
            if (_filesOverLimit > 0) parts.Add($"{Count(_filesOverLimit, "file")} left out (limit {maxFiles} per message)");
            if (_filesOverSize > 0) parts.Add($"{Count(_filesOverSize, "file")} left out (larger than {Size(maxFileBytes)})");
            if (_notPng > 0) parts.Add($"{Count(_notPng, "image")} refused (not a PNG)");
            if (_unknownType > 0) parts.Add($"{Count(_unknownType, "item")} refused (unsupported media type)");
            if (_malformed > 0) parts.Add($"{Count(_malformed, "item")} refused (unreadable)");
            return parts.Count == 0 ? null : string.Join("; ", parts);
        }
    }

    private static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => (bytes / (1024d * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
    };
}
