using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Attachments;
using CodeChatter.Core.Execution;
using Microsoft.Extensions.Options;

namespace CodeChatter.Tests.Core.Chat;

public class StorageQuotaGateTests
{
    private const long OneMiB = 1024 * 1024;

    [Fact]
    public async Task A_reply_whose_items_all_fit_is_stored_as_it_is()
    {
        var result = Result([Item(4), Item(6)]);

        var gated = await Gate(usedBytes: OneMiB - 10).ApplyAsync("ada", result);

        Assert.Same(result, gated);
    }

    [Fact]
    public async Task Items_are_kept_in_order_while_they_fit_and_the_rest_are_left_out_with_the_reason()
    {
        var first = Item(4);

        var gated = await Gate(usedBytes: OneMiB - 10).ApplyAsync("ada", Result([first, Item(7), Item(1)]));

        Assert.Equal([first], gated.Outputs);
        Assert.Equal("2 items left out: your storage quota of 1 MiB is used", gated.OutputsOmitted);
    }

    [Fact]
    public async Task The_text_is_kept_and_the_reason_follows_what_was_already_left_out()
    {
        var result = Result([new RichOutput(RichMediaTypes.File, new byte[11], 0) { FileName = "big.bin" }]) with
        {
            Stdout = "written\n", Stderr = "careful\n", OutputsOmitted = "3 more files were left out.",
        };

        var gated = await Gate(usedBytes: OneMiB - 10).ApplyAsync("ada", result);

        Assert.Empty(gated.Outputs);
        Assert.Equal(("written\n", "careful\n"), (gated.Stdout, gated.Stderr));
        Assert.Equal("3 more files were left out.; 1 item left out: your storage quota of 1 MiB is used", gated.OutputsOmitted);
    }

    [Fact]
    public async Task A_person_already_past_the_quota_keeps_no_items()
    {
        var gated = await Gate(usedBytes: OneMiB + 1).ApplyAsync("ada", Result([Item(1)]));

        Assert.Empty(gated.Outputs);
        Assert.Equal("1 item left out: your storage quota of 1 MiB is used", gated.OutputsOmitted);
    }

    [Fact]
    public async Task A_reply_without_items_does_not_ask_how_much_is_stored()
    {
        var usage = new CountingUsage(OneMiB * 2);
        var result = Result([]);

        var gated = await new StorageQuotaGate(usage, Quota()).ApplyAsync("ada", result);

        Assert.Same(result, gated);
        Assert.Equal(0, usage.Asked);
    }

    private static StorageQuotaGate Gate(long usedBytes) => new(new CountingUsage(usedBytes), Quota());

    private static IOptions<QuotaOptions> Quota() => Options.Create(new QuotaOptions { StorageMiB = 1 });

    private static RichOutput Item(int size) => new(RichMediaTypes.Png, new byte[size], 0);

    private static ExecutionResult Result(IReadOnlyList<RichOutput> outputs) => new()
    {
        Status = RunStatus.Succeeded, ExitCode = 0, Stdout = "done\n", Outputs = outputs,
    };

    private sealed class CountingUsage(long usedBytes) : IStorageUsage
    {
        public int Asked { get; private set; }

        public Task<long> UsedBytesAsync(string userId, CancellationToken cancellationToken = default)
        {
            Asked++;
            return Task.FromResult(usedBytes);
        }
    }
}
