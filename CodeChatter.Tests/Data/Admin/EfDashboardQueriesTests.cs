using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Scheduling;
using CodeChatter.Data.Admin;
using CodeChatter.Data.Entities;
using Microsoft.Extensions.Options;

namespace CodeChatter.Tests.Data.Admin;

public class EfDashboardQueriesTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static readonly DateTime Now = new(2026, 6, 15, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task The_figures_count_the_runs_of_the_period_by_day_status_language_and_person()
    {
        await using (var seed = database.Open())
        {
            var ada = Person("ada"); var bob = Person("bob");
            seed.Users.AddRange(ada, bob);
            Run(seed, ada, "python", Now.AddHours(-1), RunStatus.Succeeded, cpuMs: 100);
            Run(seed, ada, "python", Now.AddHours(-2), RunStatus.Failed, cpuMs: 50);
            Run(seed, ada, "bash", Now.AddDays(-3), RunStatus.TimedOut, cpuMs: 300);
            Run(seed, bob, "python", Now.AddDays(-10), RunStatus.Succeeded, cpuMs: 10);
            Run(seed, bob, "python", Now.AddMinutes(-1), RunStatus.InternalError, cpuMs: null, running: true);
            Run(seed, bob, "python", Now.AddDays(-40), RunStatus.Succeeded, cpuMs: 1000);
            await seed.SaveChangesAsync();
        }
        await using var db = database.Open();
        var queries = new EfDashboardQueries(db, new FairRunQueue(Options.Create(new ExecutionOptions())), new FixedClock(Now));

        var figures = await queries.GetFiguresAsync();

        Assert.Equal((3, 4, 5), (figures.RunsToday, figures.RunsLast7Days, figures.RunsLast30Days));
        Assert.Equal((2, 2), (figures.ActiveUsers7Days, figures.ActiveUsers30Days));
        Assert.Equal((0.2, 0.2), (figures.FailedShare, figures.TimedOutShare));
        Assert.Equal(460, figures.CpuTimeMs30Days);
        Assert.Equal(["succeeded", "failed", "timed_out", "running"], figures.Statuses);
        Assert.Equal(30, figures.RunsPerDay.Count);
        Assert.Equal(new DateOnly(2026, 5, 17), figures.RunsPerDay[0].Day);
        var today = figures.RunsPerDay[^1];
        Assert.Equal(new DateOnly(2026, 6, 15), today.Day);
        Assert.Equal(new Dictionary<string, int> { ["succeeded"] = 1, ["failed"] = 1, ["running"] = 1 }, today.ByStatus);
        Assert.Equal([new("python", 4), new("bash", 1)], figures.RunsByLanguage);
        Assert.Equal(["ada@example.com", "bob@example.com"], figures.TopUsers.Select(u => u.Email));
        Assert.Equal((3, 450L), (figures.TopUsers[0].Runs, figures.TopUsers[0].CpuTimeMs));
    }

    private static ChatUser Person(string name) => new()
    {
        UserName = $"{name}@example.com", Email = $"{name}@example.com", NormalizedEmail = $"{name.ToUpperInvariant()}@EXAMPLE.COM", CreatedAt = Now.AddDays(-60),
    };

    private static void Run(CodeChatter.Data.ChatDbContext db, ChatUser owner, string language, DateTime startedAt, RunStatus status, long? cpuMs, bool running = false)
    {
        var conversation = new Conversation { Owner = owner, OwnerId = owner.Id, Title = "t", CreatedAt = startedAt, UpdatedAt = startedAt };
        var snippet = new Snippet { Conversation = conversation, Sequence = 1, Kind = SnippetKind.Code, Language = language, Code = "x", CreatedAt = startedAt };
        db.Executions.Add(new Execution
        {
            Snippet = snippet, OwnerId = owner.Id, StartedAt = startedAt, FinishedAt = running ? null : startedAt.AddSeconds(1), Status = status, CpuTimeMs = cpuMs,
        });
    }
}
