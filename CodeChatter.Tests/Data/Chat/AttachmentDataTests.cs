using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Attachments;
using CodeChatter.Core.Execution;
using CodeChatter.Data;
using CodeChatter.Data.Admin;
using CodeChatter.Data.Attachments;
using CodeChatter.Data.Entities;
using CodeChatter.Data.Reading;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CodeChatter.Tests.Data.Chat;

public class AttachmentDataTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static readonly byte[] Csv = "a,b\n1,2\n"u8.ToArray();

    private static readonly byte[] OtherCsv = "a,b\n3,4\n5,6\n"u8.ToArray();

    [Fact]
    public async Task Attaching_a_file_stores_its_bytes_hash_and_size_and_lists_it_by_name()
    {
        var userId = await PersonAsync("attach");
        var conversationId = await ConversationAsync(userId);
        await using var db = database.Open();
        var store = Store(db);

        var put = (await store.PutAsync(userId, conversationId, "zeta.csv", Csv))!.Value;
        await store.PutAsync(userId, conversationId, "alpha.txt", OtherCsv);

        Assert.False(put.Replaced);
        Assert.Equal((conversationId, "zeta.csv", (long)Csv.Length, Now), (put.Attachment.ConversationId, put.Attachment.Name, put.Attachment.Size, put.Attachment.CreatedAt));
        var listed = (await store.ListAsync(userId, conversationId))!;
        Assert.Equal(["alpha.txt", "zeta.csv"], listed.Select(a => a.Name));
        Assert.Equal(put.Attachment, listed[1]);
        var row = await db.ConversationAttachments.AsNoTracking().SingleAsync(a => a.Id == put.Attachment.Id);
        Assert.Equal(Csv, row.Content);
        Assert.Equal((OutputFingerprint.HashOf(Csv), (long)Csv.Length), (row.Sha256, row.Size));
    }

    [Fact]
    public async Task Attaching_the_same_name_again_replaces_the_file_in_place()
    {
        var userId = await PersonAsync("replace");
        var conversationId = await ConversationAsync(userId);
        var first = (await Put(userId, conversationId, "data.csv", Csv, Now))!.Value;

        var second = (await Put(userId, conversationId, "data.csv", OtherCsv, Now.AddHours(1)))!.Value;

        Assert.True(second.Replaced);
        Assert.Equal((first.Attachment.Id, (long)OtherCsv.Length, Now.AddHours(1)), (second.Attachment.Id, second.Attachment.Size, second.Attachment.CreatedAt));
        await using var db = database.Open();
        var row = await db.ConversationAttachments.SingleAsync(a => a.ConversationId == conversationId);
        Assert.Equal(OtherCsv, row.Content);
        Assert.Equal((OutputFingerprint.HashOf(OtherCsv), (long)OtherCsv.Length), (row.Sha256, row.Size));
    }

    [Fact]
    public async Task Another_persons_conversation_finds_nothing_and_changes_nothing()
    {
        var ownerId = await PersonAsync("owner");
        var strangerId = await PersonAsync("stranger");
        var conversationId = await ConversationAsync(ownerId);
        var attachment = (await Put(ownerId, conversationId, "secret.txt", Csv, Now))!.Value.Attachment;
        await using var db = database.Open();
        var store = Store(db);

        Assert.Null(await store.ListAsync(strangerId, conversationId));
        Assert.Null(await store.PutAsync(strangerId, conversationId, "secret.txt", OtherCsv));
        Assert.Null(await store.GetContentAsync(strangerId, conversationId, attachment.Id));
        Assert.False(await store.RemoveAsync(strangerId, conversationId, attachment.Id));

        var kept = (await store.GetContentAsync(ownerId, conversationId, attachment.Id))!;
        Assert.Equal("secret.txt", kept.Name);
        Assert.Equal(Csv, kept.Content);
    }

    [Fact]
    public async Task An_attachment_id_is_only_found_under_its_own_conversation()
    {
        var userId = await PersonAsync("under-mine");
        var strangerId = await PersonAsync("under-theirs");
        var mine = await ConversationAsync(userId);
        var otherOfMine = await ConversationAsync(userId);
        var theirs = await ConversationAsync(strangerId);
        var theirAttachment = (await Put(strangerId, theirs, "theirs.txt", Csv, Now))!.Value.Attachment;
        var myOtherAttachment = (await Put(userId, otherOfMine, "other.txt", Csv, Now))!.Value.Attachment;
        await using var db = database.Open();
        var store = Store(db);

        Assert.Null(await store.GetContentAsync(userId, mine, theirAttachment.Id));
        Assert.False(await store.RemoveAsync(userId, mine, theirAttachment.Id));
        Assert.Null(await store.GetContentAsync(userId, mine, myOtherAttachment.Id));
        Assert.False(await store.RemoveAsync(userId, mine, myOtherAttachment.Id));
        Assert.Equal(2, await db.ConversationAttachments.CountAsync(a => a.Id == theirAttachment.Id || a.Id == myOtherAttachment.Id));
    }

    [Fact]
    public async Task Removing_an_attachment_deletes_it()
    {
        var userId = await PersonAsync("remove");
        var conversationId = await ConversationAsync(userId);
        var attachment = (await Put(userId, conversationId, "gone.txt", Csv, Now))!.Value.Attachment;
        await using var db = database.Open();
        var store = Store(db);

        Assert.True(await store.RemoveAsync(userId, conversationId, attachment.Id));

        Assert.Empty((await store.ListAsync(userId, conversationId))!);
        Assert.False(await store.RemoveAsync(userId, conversationId, attachment.Id));
    }

    [Fact]
    public async Task A_run_loads_its_conversations_files_by_name_with_their_hashes()
    {
        var userId = await PersonAsync("inputs");
        var conversationId = await ConversationAsync(userId);
        var otherId = await ConversationAsync(userId);
        await Put(userId, conversationId, "b.csv", OtherCsv, Now);
        await Put(userId, conversationId, "a.csv", Csv, Now);
        await Put(userId, otherId, "elsewhere.csv", Csv, Now);
        await using var db = database.Open();

        var inputs = await Store(db).LoadInputsAsync(conversationId);

        Assert.Equal(
            [("a.csv", Convert.ToHexStringLower(Csv), OutputFingerprint.HashOf(Csv)), ("b.csv", Convert.ToHexStringLower(OtherCsv), OutputFingerprint.HashOf(OtherCsv))],
            inputs.Select(i => (i.Name, Convert.ToHexStringLower(i.Content), i.Sha256)));
        Assert.Empty(await Store(db).LoadInputsAsync(await ConversationAsync(userId)));
    }

    [Fact]
    public async Task Deleting_a_conversation_deletes_its_attachments()
    {
        var userId = await PersonAsync("cascade");
        var deletedId = await ConversationAsync(userId);
        var keptId = await ConversationAsync(userId);
        await Put(userId, deletedId, "a.csv", Csv, Now);
        await Put(userId, keptId, "a.csv", Csv, Now);
        await using var db = database.Open();

        Assert.True(await new EfConversationStore(db).DeleteAsync(userId, deletedId));

        Assert.Equal(0, await db.ConversationAttachments.CountAsync(a => a.ConversationId == deletedId));
        Assert.Equal(1, await db.ConversationAttachments.CountAsync(a => a.ConversationId == keptId));
    }

    [Fact]
    public async Task Storage_usage_sums_a_persons_attachments_and_run_outputs_and_nobody_elses()
    {
        var userId = await PersonAsync("usage");
        var strangerId = await PersonAsync("usage-stranger");
        var conversationId = await ConversationAsync(userId);
        await Put(userId, conversationId, "a.csv", Csv, Now);
        await Put(userId, await ConversationAsync(userId), "b.csv", OtherCsv, Now);
        await Put(strangerId, await ConversationAsync(strangerId), "c.csv", OtherCsv, Now);
        byte[] plot = [1, 2, 3, 4, 5];
        await CompletedRunAsync(userId, conversationId, [new RichOutput(RichMediaTypes.Png, plot, 0), new RichOutput(RichMediaTypes.File, Csv, 0) { FileName = "out.csv" }]);
        await CompletedRunAsync(strangerId, null, [new RichOutput(RichMediaTypes.Png, plot, 0)]);
        await using var db = database.Open();
        var usage = new EfStorageUsage(db);

        Assert.Equal(Csv.Length + OtherCsv.Length + plot.Length + Csv.Length, await usage.UsedBytesAsync(userId));
        Assert.Equal(0, await usage.UsedBytesAsync(await PersonAsync("usage-nothing")));
    }

    [Fact]
    public async Task A_runs_files_are_stored_with_safe_names_and_read_back_by_name_but_never_as_text()
    {
        var userId = await PersonAsync("files-out");
        var strangerId = await PersonAsync("files-out-stranger");
        var conversationId = await ConversationAsync(userId);
        var executionId = await CompletedRunAsync(userId, conversationId,
        [
            new RichOutput(RichMediaTypes.PlainText, "42"u8.ToArray(), 0) { FileName = "ignored.txt" },
            new RichOutput(RichMediaTypes.File, Csv, 3) { FileName = "../../x" },
            new RichOutput(RichMediaTypes.File, OtherCsv, 3) { FileName = "<script>.html" },
        ]);
        await using var db = database.Open();
        var runs = new EfRunQueries(db, Options.Create(new ExecutionOptions()));

        var stored = await db.ExecutionOutputs.Where(o => o.ExecutionId == executionId).OrderBy(o => o.Sequence).Select(o => o.FileName).ToListAsync();
        var run = (await runs.FindAsync(userId, executionId))!;
        var conversation = (await new EfConversationQueries(db, Options.Create(new ExecutionOptions())).FindOwnedAsync(userId, conversationId))!;

        Assert.Equal([null, "x", "<script>.html"], stored);
        Assert.Equal(
            [(RichMediaTypes.PlainText, (string?)null, "42"), (RichMediaTypes.File, "x", null), (RichMediaTypes.File, "<script>.html", null)],
            run.Outputs.Select(o => (o.MediaType, o.FileName, o.Content)));
        Assert.Equal([false, true, true], run.Outputs.Select(o => o.IsFile));
        Assert.Equal((long)Csv.Length, run.Outputs[1].ImageSize);
        Assert.Equal(run.Outputs, conversation.Messages.Single().Latest!.Run.Outputs);
        var file = (await runs.FindOutputAsync(userId, run.Outputs[2].Id))!;
        Assert.Equal((RichMediaTypes.File, "<script>.html", conversationId, executionId), (file.MediaType, file.FileName, file.ConversationId, file.ExecutionId));
        Assert.Equal(OtherCsv, file.Content);
        Assert.Null(await runs.FindOutputAsync(strangerId, run.Outputs[2].Id));
    }

    [Fact]
    public async Task A_rerun_knows_the_previous_runs_files_by_name_so_a_renamed_file_is_a_change()
    {
        var userId = await PersonAsync("files-rerun");
        var conversationId = await ConversationAsync(userId);
        await CompletedRunAsync(userId, conversationId, [new RichOutput(RichMediaTypes.File, Csv, 0) { FileName = "a.csv" }]);
        await using var db = database.Open();
        var snippetId = await db.Snippets.Where(s => s.ConversationId == conversationId).Select(s => s.Id).SingleAsync();

        var previous = (await new EfRunStore(db, new FixedClock(Now)).StartRerunAsync(userId, snippetId, ExecutionTrigger.Rerun))!.Previous!;

        Assert.Equal([new OutputFingerprint("file:a.csv", OutputFingerprint.HashOf(Csv))], previous.Outputs);
        Assert.False(RunOutput.From(Result([new RichOutput(RichMediaTypes.File, Csv, 0) { FileName = "a.csv" }])).HasChangedSince(previous));
        Assert.True(RunOutput.From(Result([new RichOutput(RichMediaTypes.File, Csv, 0) { FileName = "b.csv" }])).HasChangedSince(previous));
    }

    [Fact]
    public async Task The_admin_sees_each_persons_stored_bytes_with_their_attachments()
    {
        var userId = await PersonAsync("admin-bytes");
        var conversationId = await ConversationAsync(userId);
        await Put(userId, conversationId, "a.csv", Csv, Now);
        await Put(userId, await ConversationAsync(userId), "b.csv", OtherCsv, Now);
        var strangerId = await PersonAsync("admin-bytes-stranger");
        await Put(strangerId, await ConversationAsync(strangerId), "c.csv", Csv, Now);
        byte[] plot = [1, 2, 3];
        await CompletedRunAsync(userId, conversationId, [new RichOutput(RichMediaTypes.Png, plot, 0), new RichOutput(RichMediaTypes.File, OtherCsv, 0) { FileName = "out.csv" }]);
        await using var db = database.Open();
        var people = new EfPeopleQueries(db);

        var row = (await people.ListAsync("admin-bytes@", 0, 10)).Single();
        var details = (await people.FindAsync(userId))!;

        Assert.Equal(((long)plot.Length + OtherCsv.Length, (long)Csv.Length + OtherCsv.Length), (row.StoredOutputBytes, row.AttachmentBytes));
        Assert.Equal(plot.Length + OtherCsv.Length + Csv.Length + OtherCsv.Length, row.StoredBytes);
        Assert.Equal(row.StoredBytes, details.StoredBytes);
        Assert.Equal(details.StoredBytes, await new EfStorageUsage(db).UsedBytesAsync(userId));
    }

    private async Task<(AttachmentView Attachment, bool Replaced)?> Put(string userId, long conversationId, string name, byte[] content, DateTimeOffset at)
    {
        await using var db = database.Open();
        return await new EfAttachmentStore(db, new FixedClock(at)).PutAsync(userId, conversationId, name, content);
    }

    private static EfAttachmentStore Store(ChatDbContext db) => new(db, new FixedClock(Now));

    private async Task<long> CompletedRunAsync(string userId, long? conversationId, IReadOnlyList<RichOutput> outputs)
    {
        await using var db = database.Open();
        var store = new EfRunStore(db, new FixedClock(Now));
        var stored = await store.AddMessageAsync(new NewMessage(userId, conversationId, SnippetKind.Code, "python", "save()", "", ExecutionTrigger.Submit));
        await store.CompleteAsync(stored!.ExecutionId!.Value, Result(outputs));
        return stored.ExecutionId.Value;
    }

    private static ExecutionResult Result(IReadOnlyList<RichOutput> outputs) => new()
    {
        Status = RunStatus.Succeeded, ExitCode = 0, StartedAt = Now, FinishedAt = Now.AddSeconds(1), Outputs = outputs,
    };

    private async Task<long> ConversationAsync(string userId)
    {
        await using var db = database.Open();
        var conversation = new Conversation { OwnerId = userId, Title = "files" };
        db.Conversations.Add(conversation);
        await db.SaveChangesAsync();
        return conversation.Id;
    }

    private async Task<string> PersonAsync(string name)
    {
        await using var db = database.Open();
        var person = new ChatUser { UserName = $"{name}@example.com", Email = $"{name}@example.com", NormalizedEmail = $"{name.ToUpperInvariant()}@EXAMPLE.COM" };
        db.Users.Add(person);
        await db.SaveChangesAsync();
        return person.Id;
    }
}
