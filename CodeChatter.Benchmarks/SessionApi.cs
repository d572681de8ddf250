using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CodeChatter.Benchmarks;

/// <summary>The app cannot run the session rows: it has no sessions, or refused to start one.</summary>
/// <param name="message">Why, in one sentence (the table's note).</param>
/// <param name="answer">The app's answer, for the console.</param>
internal sealed class SessionsUnavailableException(string message, string answer) : Exception(message)
{
    public string Answer { get; } = answer;
}

/// <summary>
/// One conversation in session mode, driven over <c>POST /api/runs</c>: its first message starts the
/// conversation (and its live Python session), every later one runs in that session. Each answer is
/// checked: it must have succeeded, printed what was expected and run in the same session generation,
/// so a session that was ended or restarted in between spoils the measurement loudly, not silently.
/// </summary>
internal sealed class SessionConversation
{
    private readonly HttpClient _api;
    private int? _lastCounter;

    private SessionConversation(HttpClient api, long id, int generation, int? counter)
    {
        _api = api;
        Id = id;
        Generation = generation;
        _lastCounter = counter;
    }

    public long Id { get; }
    public int Generation { get; }

    /// <summary>Starts a new session-mode conversation with <paramref name="code"/>; <paramref name="stdout"/> is what it printed.</summary>
    public static async Task<(SessionConversation Conversation, string Stdout)> StartAsync(HttpClient api, string code)
    {
        var run = await PostAsync(api, new { language = "python", code, mode = "session" });
        var conversation = new SessionConversation(api, run.GetProperty("conversationId").GetInt64(), GenerationOf(run), CounterOf(run));
        return (conversation, run.GetProperty("stdout").GetString() ?? "");
    }

    /// <summary>Runs <paramref name="code"/> in this conversation's live session; returns its stdout.</summary>
    public async Task<string> RunAsync(string code)
    {
        var run = await PostAsync(_api, new { language = "python", code, conversationId = Id });
        var generation = GenerationOf(run);
        var counter = CounterOf(run);
        if (generation != Generation || (counter is not null && _lastCounter is not null && counter <= _lastCounter))
        {
            throw new InvalidOperationException(
                $"conversation {Id}: expected session generation {Generation} after execution {_lastCounter}, got generation {generation}, execution {counter} (the session was ended or restarted)");
        }
        _lastCounter = counter;
        return run.GetProperty("stdout").GetString() ?? "";
    }

    public async Task PrintOneAsync()
    {
        var stdout = await RunAsync("print(1)");
        if (stdout != "1\n") throw new InvalidOperationException($"conversation {Id}: print(1) printed '{stdout}'");
    }

    private static async Task<JsonElement> PostAsync(HttpClient api, object body)
    {
        using var response = await api.PostAsJsonAsync("/api/runs", body);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new SessionsUnavailableException(
                "the app refused a session run (429: Execution:MaxSessions, MaxSessionsPerUser or the run queue)", text);
        }
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /api/runs: {(int)response.StatusCode} {text}");
        using var document = JsonDocument.Parse(text);
        var run = document.RootElement.Clone();
        if (!run.TryGetProperty("mode", out var mode) || mode.GetString() != "session"
            || !run.TryGetProperty("sessionGeneration", out var generation) || generation.ValueKind != JsonValueKind.Number)
        {
            throw new SessionsUnavailableException(
                "this build of the app has no conversation sessions: its run object has no `\"mode\": \"session\"` and no `sessionGeneration`", Shorten(text));
        }
        if (run.GetProperty("status").GetString() != "succeeded") throw new InvalidOperationException("unexpected session run: " + text);
        return run;
    }

    private static int GenerationOf(JsonElement run) => run.GetProperty("sessionGeneration").GetInt32();

    private static int? CounterOf(JsonElement run) =>
        run.TryGetProperty("executionCounter", out var counter) && counter.ValueKind == JsonValueKind.Number ? counter.GetInt32() : null;

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
