namespace CodeChatter.Data.Entities;

/// <summary>
/// One plot, table or value a run displayed, in a table of its own so a run's row stays small and a page
/// that lists runs never reads an image. Deleted with its run (and so with its conversation).
/// </summary>
public class ExecutionOutput
{
    public long Id { get; set; }
    public long ExecutionId { get; set; }
    public Execution? Execution { get; set; }

    /// <summary>Its place among the run's items, from 1: the order they were shown in.</summary>
    public int Sequence { get; set; }

    /// <summary><c>image/png</c>, <c>text/html</c>, <c>text/plain</c> or <c>file</c> (a file the run left in its working folder).</summary>
    public string MediaType { get; set; } = "";

    /// <summary>The bytes as the run produced them (HTML unsanitized: it is cleaned on the way out).</summary>
    public byte[] Content { get; set; } = [];

    /// <summary>SHA-256 of <see cref="Content"/>, lowercase hex: what same/changed compares.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>Length of <see cref="Content"/>, so sizes are summed without reading the bytes.</summary>
    public long Size { get; set; }

    /// <summary>For a file: its relative path in the working folder, already made safe; null otherwise.</summary>
    public string? FileName { get; set; }

    /// <summary>How many characters of the run's stdout had been printed when it was shown.</summary>
    public int StdoutPosition { get; set; }
}
