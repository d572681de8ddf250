namespace CodeChatter.Core.Execution;

/// <summary>Which stream a piece of output came from.</summary>
public enum OutputStream
{
    /// <summary>Standard output.</summary>
    Stdout,
    /// <summary>Standard error.</summary>
    Stderr,
}

/// <summary>
/// A piece of live output. Concatenating every chunk of a stream gives exactly the stored
/// <see cref="ExecutionResult.Stdout"/> or <see cref="ExecutionResult.Stderr"/>.
/// </summary>
public sealed record OutputChunk(OutputStream Stream, string Text);
