using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeChatter.Tests.Web.Operations;

/// <summary>The app with a log provider that keeps every entry with its scopes' fields.</summary>
public sealed class LogCapturingAppFactory : ChatAppFactory
{
    public LogCapture Capture { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging
            .AddProvider(Capture)
            // This provider sees everything, whatever the configured levels (EF's commands are Warning there).
            .AddFilter<LogCapture>(null, LogLevel.Trace));
    }
}

/// <summary>Each entry's category and the fields of the scopes it was written in.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<(string Category, IReadOnlyDictionary<string, object?> Fields)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
            owner._scopes.ForEachScope((scope, into) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (key, value) in pairs) into[key] = value;
                }
            }, fields);
            owner.Entries.Enqueue((category, fields));
        }
    }
}

public class LogFieldsTests(LogCapturingAppFactory factory) : IClassFixture<LogCapturingAppFactory>
{
    [Fact]
    public async Task What_is_logged_while_a_message_runs_carries_the_person_the_conversation_and_the_run()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var conversationId = (await person.NewConversationAsync("print('first')")).ConversationId;
        var personId = (await person.GetUserAsync()).Id;
        factory.Capture.Entries.Clear();

        await person.SendAsync(conversationId, "print('second')");

        var runId = await person.WithDbAsync(db => db.Executions.Where(e => e.Snippet!.ConversationId == conversationId).MaxAsync(e => e.Id));
        // Storing the run's result is logged by EF Core inside the run.
        var inRun = factory.Capture.Entries.Where(entry => Equals(entry.Fields.GetValueOrDefault("RunId")?.ToString(), runId.ToString())).ToList();
        Assert.NotEmpty(inRun);
        Assert.All(inRun, entry => Assert.Equal(personId, entry.Fields["PersonId"]?.ToString()));
        Assert.Contains(inRun, entry => entry.Fields.GetValueOrDefault("ConversationId")?.ToString() == conversationId.ToString());
    }
}
