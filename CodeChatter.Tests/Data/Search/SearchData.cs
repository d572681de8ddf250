using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Search;
using CodeChatter.Data;
using CodeChatter.Data.Entities;
using CodeChatter.Tests.Infrastructure;

namespace CodeChatter.Tests.Data.Search;

/// <summary>People, runs and notes written through the real stores into a migrated database, and searches of it.</summary>
internal sealed class SearchData(MigratedDatabase database)
{
    public static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    public async Task<string> PersonAsync(string name)
    {
        await using var db = database.Open();
        var email = $"{name}-{Guid.NewGuid():N}@example.com";
        var person = new ChatUser { UserName = email, Email = email, NormalizedEmail = email.ToUpperInvariant() };
        db.Users.Add(person);
        await db.SaveChangesAsync();
        return person.Id;
    }

    /// <summary>A code message and its finished run; a new conversation unless one is given.</summary>
    public async Task<StoredMessage> RunAsync(
        string userId, string code, string stdout = "", long? conversationId = null, string title = "", string stdin = "",
        string language = "python", RunStatus status = RunStatus.Succeeded, DateTimeOffset? at = null, string stderr = "")
    {
        await using var db = database.Open();
        var store = new EfRunStore(db, new FixedClock(at ?? Now));
        var stored = (await store.AddMessageAsync(new NewMessage(userId, conversationId, SnippetKind.Code, language, code, stdin, ExecutionTrigger.Submit) { Title = title }))!;
        await store.CompleteAsync(stored.ExecutionId!.Value, Result(status, stdout, stderr, at ?? Now));
        return stored;
    }

    public async Task<StoredMessage> NoteAsync(string userId, long conversationId, string text)
    {
        await using var db = database.Open();
        return (await new EfRunStore(db, new FixedClock(Now)).AddMessageAsync(
            new NewMessage(userId, conversationId, SnippetKind.Note, "markdown", text, "", ExecutionTrigger.Submit)))!;
    }

    public static ExecutionResult Result(RunStatus status, string stdout, string stderr, DateTimeOffset at) => new()
    {
        Status = status, ExitCode = status == RunStatus.Succeeded ? 0 : 1, Stdout = stdout, Stderr = stderr,
        StartedAt = at, FinishedAt = at.AddMilliseconds(20), WallTimeMs = 20,
    };

    public async Task<SearchResults> SearchAsync(string userId, string query, SearchRequest? filters = null)
    {
        await using var db = database.Open();
        return await new SearchService(TestDatabase.SearchQueries(db)).SearchOwnAsync(userId, (filters ?? new SearchRequest(null)) with { Query = query });
    }

    public async Task<SearchResults> SearchEveryonesAsync(string query)
    {
        await using var db = database.Open();
        return await new SearchService(TestDatabase.SearchQueries(db)).SearchEveryonesAsync(new SearchRequest(query));
    }

    /// <summary>The runs (execution ids) a person's search finds, newest first.</summary>
    public async Task<List<long?>> FoundRunsAsync(string userId, string query, SearchRequest? filters = null) =>
        (await SearchAsync(userId, query, filters)).Hits.Items.Select(h => h.ExecutionId).ToList();
}
