using System.Text.Json;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Cluster;

/// <summary>
/// A run as it travels from a web instance to a runner (a ticket's payload) and its result on the way back (the
/// end message). Only what the sandbox needs crosses: the language, code, input, attachments and limits, and for
/// a message of a session conversation, which session it runs in.
/// </summary>
public sealed record RemoteRun(
    string Language, string Code, string Stdin, bool Interactive, IReadOnlyList<InputFile> Inputs, ExecutionLimits? Limits,
    SessionKey? Session = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The ticket payload of <paramref name="request"/>.</summary>
    public static string Payload(ExecutionRequest request, SessionKey? session = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonSerializer.Serialize(
            new RemoteRun(request.Language, request.Code, request.Stdin, request.Input is not null, request.Inputs, request.Limits, session), Json);
    }

    /// <summary>Reads a ticket's payload.</summary>
    public static RemoteRun Read(string payload) =>
        JsonSerializer.Deserialize<RemoteRun>(payload, Json) ?? throw new InvalidDataException("an empty run payload");

    /// <summary>The request a runner executes; typed input, when the run takes it, arrives on the control channel.</summary>
    public ExecutionRequest Request(long executionId, string ownerId) => new(Language, Code)
    {
        Stdin = Stdin, Input = Interactive ? new RunInput() : null, Inputs = Inputs, Limits = Limits,
        ExecutionId = executionId, OwnerId = ownerId,
    };

    /// <summary>The end message's copy of <paramref name="result"/>.</summary>
    public static string Result(ExecutionResult result) => JsonSerializer.Serialize(result, Json);

    /// <summary>A result read back from an end message; null when it carried none.</summary>
    public static ExecutionResult? ReadResult(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<ExecutionResult>(json, Json);
}
