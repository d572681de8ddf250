using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Core.Chat;

/// <summary>
/// The session runner of a host that keeps no sessions: no language is supported, so every snippet runs in a
/// fresh sandbox whatever its conversation's mode, and there is never a session to list or end. Registered
/// by <see cref="ChatServiceCollectionExtensions.AddCodeChatterChat"/> only when no real runner is.
/// </summary>
public sealed class NoSessionRunner : ISessionRunner
{
    /// <inheritdoc />
    public bool Supports(string languageId) => false;

    /// <inheritdoc />
    public Task<ExecutionResult> ExecuteAsync(
        SessionKey key, ExecutionRequest request, Func<CancellationToken, Task<int>> newGeneration,
        Action<OutputChunk>? output = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"This host keeps no sessions: {key.LanguageId} runs fresh (check Supports first).");

    /// <inheritdoc />
    public IReadOnlyList<LiveSessionInfo> List() => [];

    /// <inheritdoc />
    public IReadOnlyList<LiveSessionInfo> ListFor(string userId, long conversationId) => [];

    /// <inheritdoc />
    public Task<bool> EndAsync(Guid sessionId, SessionEndReason reason) => Task.FromResult(false);

    /// <inheritdoc />
    public Task<int> EndConversationAsync(string userId, long conversationId, SessionEndReason reason) => Task.FromResult(0);

    /// <inheritdoc />
    public Task<int> EndPersonAsync(string userId, SessionEndReason reason) => Task.FromResult(0);
}
