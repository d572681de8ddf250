using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Search;

namespace CodeChatter.Tests.Data.Search;

public class SearchQueryTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private readonly SearchData _data = new(database);

    [Fact]
    public async Task Words_are_found_in_code_input_output_errors_and_titles_of_the_persons_own_runs_only()
    {
        var ada = await _data.PersonAsync("ada");
        var bob = await _data.PersonAsync("bob");
        var inCode = await _data.RunAsync(ada, "walrus = 1");
        var inStdout = await _data.RunAsync(ada, "print(x)", stdout: "a walrus appears");
        var inStdin = await _data.RunAsync(ada, "input()", stdin: "walrus");
        var inStderr = await _data.RunAsync(ada, "boom()", stderr: "NameError: walrus", status: RunStatus.Failed);
        var inTitle = await _data.RunAsync(ada, "print(2)", title: "The walrus talk");
        var bobs = await _data.RunAsync(bob, "walrus = 2", stdout: "walrus");

        var found = await _data.SearchAsync(ada, "walrus");

        Assert.Equal(SearchOutcome.Found, found.Outcome);
        Assert.Equal(
            new[] { inTitle, inStderr, inStdin, inStdout, inCode }.Select(s => s.ExecutionId),
            found.Hits.Items.Select(h => h.ExecutionId));
        Assert.All(found.Hits.Items, h => Assert.Equal(ada, h.OwnerId));
        Assert.Equal(["title", "stderr", "stdin", "stdout", "code"], found.Hits.Items.Select(h => h.ExcerptFrom));
        Assert.Equal([bobs.ExecutionId], await _data.FoundRunsAsync(bob, "walrus"));
    }

    [Fact]
    public async Task The_admins_search_finds_everyones_and_says_whose()
    {
        var ada = await _data.PersonAsync("ada");
        var bob = await _data.PersonAsync("bob");
        await _data.RunAsync(ada, "print('quokka')");
        await _data.RunAsync(bob, "print('quokka')");

        var found = await _data.SearchEveryonesAsync("quokka");

        Assert.Equal(new[] { bob, ada }, found.Hits.Items.Select(h => h.OwnerId));
        Assert.All(found.Hits.Items, h => Assert.Contains("@example.com", h.OwnerEmail));
    }

    [Fact]
    public async Task A_quoted_phrase_matches_its_words_together_and_in_order_only()
    {
        var person = await _data.PersonAsync("phrase");
        var together = await _data.RunAsync(person, "print(1)", stdout: "red panda sleeps");
        await _data.RunAsync(person, "print(2)", stdout: "panda red");
        await _data.RunAsync(person, "print(3)", stdout: "red fox, lazy panda");

        Assert.Equal([together.ExecutionId], await _data.FoundRunsAsync(person, "\"red panda\""));
        Assert.Equal(3, (await _data.FoundRunsAsync(person, "red panda")).Count);
    }

    [Fact]
    public async Task A_prefix_matches_words_that_start_so_and_an_exclusion_leaves_out_what_contains_it()
    {
        var person = await _data.PersonAsync("prefix");
        var parse = await _data.RunAsync(person, "parse(text)");
        var parser = await _data.RunAsync(person, "Parser().run()", stdout: "ok");
        await _data.RunAsync(person, "spare = 1");

        Assert.Equal([parser.ExecutionId, parse.ExecutionId], await _data.FoundRunsAsync(person, "pars*"));
        Assert.Empty(await _data.FoundRunsAsync(person, "pars"));
        Assert.Equal([parse.ExecutionId], await _data.FoundRunsAsync(person, "pars* -ok"));
        Assert.Equal([parse.ExecutionId], await _data.FoundRunsAsync(person, "pars* -\"run()\""));
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("NEAR(")]
    [InlineData("NEAR(a b, 2)")]
    [InlineData("*")]
    [InlineData("col:")]
    [InlineData("title: walrus")]
    [InlineData("{Owner} : x")]
    [InlineData("^")]
    [InlineData("^start")]
    [InlineData("a AND OR NOT b")]
    [InlineData("\"")]
    [InlineData("-")]
    [InlineData("-only -exclusions")]
    [InlineData("a\" OR \"b")]
    [InlineData(")(")]
    [InlineData("\uE000mark\uE001")]
    [InlineData("x*y* **")]
    public async Task A_hostile_query_is_read_as_plain_terms_or_refused_never_thrown(string query)
    {
        var person = await _data.PersonAsync("hostile");
        await _data.RunAsync(person, "col: value  # walrus start NEAR( a b )", stdout: "AND OR NOT mark");

        var results = await _data.SearchAsync(person, query);

        Assert.Contains(results.Outcome, new[] { SearchOutcome.Found, SearchOutcome.NoQuery, SearchOutcome.NotUnderstood });
    }

    [Fact]
    public async Task Punctuation_is_part_of_a_term_and_never_search_syntax()
    {
        var person = await _data.PersonAsync("literal");
        var run = await _data.RunAsync(person, "settings = {'col': 1}  # NEAR(here) AND more");

        Assert.Equal([run.ExecutionId], await _data.FoundRunsAsync(person, "col:"));
        Assert.Equal([run.ExecutionId], await _data.FoundRunsAsync(person, "NEAR("));
        Assert.Equal([run.ExecutionId], await _data.FoundRunsAsync(person, "AND"));
        Assert.Equal(SearchOutcome.NotUnderstood, (await _data.SearchAsync(person, "-col")).Outcome);
        Assert.Equal(SearchOutcome.NoQuery, (await _data.SearchAsync(person, "  ^ * ")).Outcome);
    }

    [Fact]
    public async Task The_excerpt_marks_the_match_and_keeps_markup_as_plain_text()
    {
        var person = await _data.PersonAsync("xss");
        await _data.RunAsync(person, "print(page)", stdout: "<script>alert(1)</script>\n");

        var hit = (await _data.SearchAsync(person, "alert")).Hits.Items.Single();

        Assert.Equal("stdout", hit.ExcerptFrom);
        Assert.Equal([new HighlightedPart("<script>", false), new HighlightedPart("alert", true), new HighlightedPart("(1)</script>\n", false)], hit.Excerpt.Parts);
    }

    [Fact]
    public async Task Text_that_carries_the_private_match_marks_cannot_forge_a_highlight()
    {
        var person = await _data.PersonAsync("forge");
        await _data.RunAsync(person, "print(1)", stdout: "\uE000fake\uE001 real");

        var hit = (await _data.SearchAsync(person, "real")).Hits.Items.Single();

        Assert.Equal([new HighlightedPart("fake ", false), new HighlightedPart("real", true)], hit.Excerpt.Parts);
    }

    [Fact]
    public async Task Language_status_and_dates_filter_the_hits()
    {
        var person = await _data.PersonAsync("filters");
        var day1 = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        var python = await _data.RunAsync(person, "# emu", at: day1);
        var failed = await _data.RunAsync(person, "# emu", status: RunStatus.Failed, at: day1.AddDays(1));
        var shell = await _data.RunAsync(person, "# emu", language: "bash", at: day1.AddDays(2));

        Assert.Equal([shell.ExecutionId], await _data.FoundRunsAsync(person, "emu", new SearchRequest(null, Language: "bash")));
        Assert.Equal([failed.ExecutionId], await _data.FoundRunsAsync(person, "emu", new SearchRequest(null, Status: "failed")));
        Assert.Equal([failed.ExecutionId], await _data.FoundRunsAsync(person, "emu", new SearchRequest(null, From: new DateOnly(2026, 11, 2), To: new DateOnly(2026, 11, 2))));
        Assert.Equal([failed.ExecutionId, python.ExecutionId], await _data.FoundRunsAsync(person, "emu", new SearchRequest(null, To: new DateOnly(2026, 11, 2))));
        Assert.Equal([shell.ExecutionId], await _data.FoundRunsAsync(person, "emu", new SearchRequest(null, From: new DateOnly(2026, 11, 3))));
    }

    [Fact]
    public async Task Hits_come_twenty_a_page_newest_first_or_best_match_first()
    {
        var person = await _data.PersonAsync("paging");
        var runs = new List<long?>();
        for (var i = 0; i < 45; i++) runs.Add((await _data.RunAsync(person, $"print({i})  # kiwi")).ExecutionId);
        var best = await _data.RunAsync(person, "kiwi kiwi kiwi", stdout: "kiwi kiwi");
        runs.Add(best.ExecutionId);
        var newest = Enumerable.Reverse(runs).ToList();

        var third = await _data.SearchAsync(person, "kiwi", new SearchRequest(null, Page: 3));
        var first = await _data.FoundRunsAsync(person, "kiwi");
        var ranked = await _data.FoundRunsAsync(person, "kiwi", new SearchRequest(null, Order: SearchOrder.Relevance));

        Assert.Equal((3, 46, 20), (third.Hits.PageNumber, third.Hits.TotalItems, third.Hits.PageSize));
        Assert.Equal(newest.Skip(40), third.Hits.Items.Select(h => h.ExecutionId));
        Assert.Equal(newest.Take(20), first);
        Assert.Equal(best.ExecutionId, ranked[0]);
        Assert.Equal(3, (await _data.SearchAsync(person, "kiwi", new SearchRequest(null, Page: 99))).Hits.PageNumber);
    }

    [Fact]
    public async Task Notes_are_found_with_their_conversation_and_no_status()
    {
        var person = await _data.PersonAsync("notes");
        var run = await _data.RunAsync(person, "print(1)", title: "Lab one");
        var note = await _data.NoteAsync(person, run.ConversationId, "Remember the *axolotl*.");

        var hit = (await _data.SearchAsync(person, "axolotl")).Hits.Items.Single();

        Assert.Equal((null, note.SnippetId, run.ConversationId, "Lab one", SnippetKind.Note, (string?)null),
            (hit.ExecutionId, hit.SnippetId, hit.ConversationId, hit.ConversationTitle, hit.Kind, hit.Status));
        Assert.Empty((await _data.SearchAsync(person, "axolotl", new SearchRequest(null, Status: "succeeded"))).Hits.Items);
    }

    [Fact]
    public async Task Counting_stops_at_the_limit_and_best_match_first_ranks_the_newest_that_many()
    {
        var person = await _data.PersonAsync("limit");
        var oldBest = await _data.RunAsync(person, "mole mole mole", stdout: "mole mole");
        var runs = new List<long?>();
        for (var i = 0; i < 6; i++) runs.Add((await _data.RunAsync(person, $"print({i})  # mole and more words here")).ExecutionId);
        await using var db = database.Open();
        var queries = CodeChatter.Tests.Infrastructure.TestDatabase.SearchQueries(db);
        SearchCriteria Criteria(SearchOrder order) => new(SearchTerms.Parse("mole"), person, new SearchRequest("mole", Order: order), PageSize: 3, CountLimit: 4);

        var newest = await queries.SearchAsync(Criteria(SearchOrder.Newest));
        var ranked = await queries.SearchAsync(Criteria(SearchOrder.Relevance));

        Assert.Equal(4, newest.TotalItems);
        Assert.Equal(Enumerable.Reverse(runs).Take(3), newest.Items.Select(h => h.ExecutionId));
        Assert.DoesNotContain(oldBest.ExecutionId, ranked.Items.Select(h => h.ExecutionId));
        Assert.Equal(4, ranked.TotalItems);
        Assert.Equal(Enumerable.Reverse(runs).Take(4).Order(), (await queries.SearchAsync(Criteria(SearchOrder.Relevance) with { Request = new SearchRequest("mole", Page: 2, Order: SearchOrder.Relevance) })).Items.Concat(ranked.Items).Select(h => h.ExecutionId).Order());
    }
}
