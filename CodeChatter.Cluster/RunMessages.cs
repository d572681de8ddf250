using System.Text.Json.Serialization;

namespace CodeChatter.Cluster;

/// <summary>Which of a run's outputs a chunk belongs to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutputStreamName>))]
public enum OutputStreamName
{
    /// <summary>What the snippet wrote to standard output.</summary>
    [JsonStringEnumMemberName("stdout")]
    Stdout,

    /// <summary>What the snippet wrote to standard error.</summary>
    [JsonStringEnumMemberName("stderr")]
    Stderr,

    /// <summary>Anything else the runner reports as it goes (rich output, notices).</summary>
    [JsonStringEnumMemberName("other")]
    Other,
}

/// <summary>The one mapping between the executor's output streams and their wire names.</summary>
public static class OutputStreamNames
{
    /// <summary>The wire name of <paramref name="stream"/>.</summary>
    public static OutputStreamName Of(Core.Execution.OutputStream stream) =>
        stream == Core.Execution.OutputStream.Stderr ? OutputStreamName.Stderr : OutputStreamName.Stdout;

    /// <summary>The executor's stream a chunk with <paramref name="name"/> belongs to (anything else reads as stdout).</summary>
    public static Core.Execution.OutputStream ToStream(this OutputStreamName name) =>
        name == OutputStreamName.Stderr ? Core.Execution.OutputStream.Stderr : Core.Execution.OutputStream.Stdout;
}

/// <summary>
/// One message on a run's output channel: chunks numbered from 1 in the order they were written,
/// then one <see cref="RunEnded"/>. Pub/sub drops whatever is sent while a subscriber is away, so a
/// gap in the numbers tells the relay to fall back to the stored result.
/// </summary>
/// <param name="Sequence">The message's place in the run's output, from 1.</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "t")]
[JsonDerivedType(typeof(OutputChunk), "chunk")]
[JsonDerivedType(typeof(RunEnded), "end")]
public abstract record RunOutputMessage(long Sequence);

/// <summary>Text a run wrote.</summary>
/// <param name="Sequence">The chunk's place in the run's output, from 1.</param>
/// <param name="Stream">Where the run wrote it.</param>
/// <param name="Text">What it wrote.</param>
public sealed record OutputChunk(long Sequence, OutputStreamName Stream, string Text) : RunOutputMessage(Sequence);

/// <summary>The run is over; nothing follows on its output channel.</summary>
/// <param name="Sequence">One past the last chunk's number.</param>
/// <param name="Status">The run's status, in the run-status vocabulary (<c>succeeded</c>, <c>timed_out</c>, ...).</param>
/// <param name="Result">The whole result as JSON (see <see cref="RemoteRun"/>), for the web instance that stores it.</param>
public sealed record RunEnded(
    long Sequence, string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Result = null) : RunOutputMessage(Sequence);

/// <summary>A request to the runner of a run, from whichever web instance the person is on.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "t")]
[JsonDerivedType(typeof(StopRun), "stop")]
[JsonDerivedType(typeof(TypedInput), "input")]
[JsonDerivedType(typeof(EndOfInput), "eof")]
public abstract record RunControlMessage;

/// <summary>The person's input is over (the run reads end of file), or the run ended on the web side.</summary>
public sealed record EndOfInput : RunControlMessage;

/// <summary>The person pressed Stop.</summary>
public sealed record StopRun : RunControlMessage;

/// <summary>The person typed a line for the run's standard input.</summary>
/// <param name="Text">What they typed, with its line ending if any.</param>
public sealed record TypedInput(string Text) : RunControlMessage;
