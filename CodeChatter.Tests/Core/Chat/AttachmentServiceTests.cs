using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Attachments;
using Microsoft.Extensions.Options;

namespace CodeChatter.Tests.Core.Chat;

public class AttachmentServiceTests
{
    private const string Ada = "ada";
    private const string Bob = "bob";
    private const long AdasConversation = 1;
    private const long BobsConversation = 2;
    private const int FiveMiB = 5 * 1024 * 1024;

    private readonly MemoryAttachmentStore _store = new MemoryAttachmentStore().Owning(Ada, AdasConversation).Owning(Bob, BobsConversation);

    [Fact]
    public async Task A_file_is_attached_under_its_name_and_listed()
    {
        var outcome = await Service().AttachAsync(Ada, AdasConversation, "data.csv", Bytes(8));

        var attached = Assert.IsType<AttachOutcome.Attached>(outcome);
        Assert.Equal(("data.csv", 8L, false), (attached.Attachment.Name, attached.Attachment.Size, attached.Replaced));
        Assert.Equal(["data.csv"], (await Service().ListAsync(Ada, AdasConversation))!.Select(a => a.Name));
    }

    [Fact]
    public async Task Another_persons_conversation_is_not_found_and_nothing_is_stored_there()
    {
        var service = Service();
        await service.AttachAsync(Bob, BobsConversation, "bobs.txt", Bytes(3));
        var bobsFile = (await service.ListAsync(Bob, BobsConversation))!.Single();

        Assert.IsType<AttachOutcome.NotFound>(await service.AttachAsync(Ada, BobsConversation, "mine.txt", Bytes(3)));
        Assert.Null(await service.ListAsync(Ada, BobsConversation));
        Assert.Null(await service.GetContentAsync(Ada, BobsConversation, bobsFile.Id));
        Assert.False(await service.RemoveAsync(Ada, BobsConversation, bobsFile.Id));
        Assert.Null(await service.GetContentAsync(Ada, AdasConversation, bobsFile.Id));
        Assert.Equal(["bobs.txt"], (await service.ListAsync(Bob, BobsConversation))!.Select(a => a.Name));
    }

    [Fact]
    public async Task Attaching_the_same_name_again_replaces_the_file()
    {
        var service = Service();
        var first = Assert.IsType<AttachOutcome.Attached>(await service.AttachAsync(Ada, AdasConversation, "data.csv", Bytes(8)));

        var second = Assert.IsType<AttachOutcome.Attached>(await service.AttachAsync(Ada, AdasConversation, "data.csv", Bytes(3)));

        Assert.True(second.Replaced);
        Assert.Equal((first.Attachment.Id, 3L), (second.Attachment.Id, second.Attachment.Size));
        Assert.Single((await service.ListAsync(Ada, AdasConversation))!);
    }

    [Theory]
    [InlineData("../../x", "x")]
    [InlineData(@"C:\Users\ada\data.csv", "data.csv")]
    [InlineData("<script>.html", "<script>.html")]
    [InlineData("tab\there.txt", "tabhere.txt")]
    public async Task An_uploaded_name_keeps_only_its_last_part_and_loses_control_characters(string uploaded, string stored)
    {
        var attached = Assert.IsType<AttachOutcome.Attached>(await Service().AttachAsync(Ada, AdasConversation, uploaded, Bytes(1)));

        Assert.Equal(stored, attached.Attachment.Name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/..")]
    public async Task A_name_with_nothing_usable_left_is_refused(string? uploaded)
    {
        var outcome = await Service().AttachAsync(Ada, AdasConversation, uploaded, Bytes(1));

        Assert.Equal("The file needs a name.", Assert.IsType<AttachOutcome.Refused>(outcome).Reason);
    }

    [Fact]
    public async Task A_file_of_5_MiB_is_taken_and_one_byte_more_is_refused_after_reading_no_further()
    {
        var service = Service();
        Assert.IsType<AttachOutcome.Attached>(await service.AttachAsync(Ada, AdasConversation, "exact.bin", Bytes(FiveMiB)));
        var endless = new EndlessStream();

        var outcome = await service.AttachAsync(Ada, AdasConversation, "huge.bin", endless);

        Assert.Equal("huge.bin is larger than 5 MiB, the most one attachment may be.", Assert.IsType<AttachOutcome.Refused>(outcome).Reason);
        Assert.Equal(FiveMiB + 1L, endless.Position);
        Assert.Equal(["exact.bin"], (await service.ListAsync(Ada, AdasConversation))!.Select(a => a.Name));
    }

    [Fact]
    public async Task A_conversation_holds_at_most_20_files_though_one_of_them_may_still_be_replaced()
    {
        var service = Service();
        for (var i = 0; i < 20; i++)
        {
            Assert.IsType<AttachOutcome.Attached>(await service.AttachAsync(Ada, AdasConversation, $"f{i:00}.txt", Bytes(1)));
        }

        var refused = await service.AttachAsync(Ada, AdasConversation, "one-more.txt", Bytes(1));
        var replaced = await service.AttachAsync(Ada, AdasConversation, "f07.txt", Bytes(2));

        Assert.Equal(
            "This conversation already has 20 attachments, the most it may have. Remove one first.",
            Assert.IsType<AttachOutcome.Refused>(refused).Reason);
        Assert.True(Assert.IsType<AttachOutcome.Attached>(replaced).Replaced);
    }

    [Fact]
    public async Task A_conversations_files_together_hold_at_most_20_MiB()
    {
        var service = Service(new QuotaOptions { StorageMiB = 1000 });
        for (var i = 0; i < 4; i++)
        {
            Assert.IsType<AttachOutcome.Attached>(await service.AttachAsync(Ada, AdasConversation, $"part{i}.bin", Bytes(FiveMiB)));
        }

        var outcome = await service.AttachAsync(Ada, AdasConversation, "last.txt", Bytes(1));

        Assert.Equal(
            "Attaching last.txt would make this conversation's attachments 20 MiB; the most is 20 MiB. Remove one first.",
            Assert.IsType<AttachOutcome.Refused>(outcome).Reason);
        Assert.IsType<AttachOutcome.Attached>(await service.AttachAsync(Ada, AdasConversation, "part0.bin", Bytes(FiveMiB - 1)));
    }

    [Fact]
    public async Task An_upload_past_the_storage_quota_is_refused_with_how_much_is_stored()
    {
        _store.StoredOutputBytes[Ada] = new QuotaOptions().StorageBytes - 10;
        var service = Service();

        var outcome = await service.AttachAsync(Ada, AdasConversation, "data.csv", Bytes(11));

        Assert.Equal(
            "Your storage quota of 100 MiB is used (100 MiB stored): remove attachments or delete conversations to make room.",
            Assert.IsType<AttachOutcome.Refused>(outcome).Reason);
        Assert.IsType<AttachOutcome.Attached>(await service.AttachAsync(Ada, AdasConversation, "data.csv", Bytes(10)));
    }

    [Fact]
    public async Task Replacing_a_file_counts_only_the_new_bytes_against_the_storage_quota()
    {
        var service = Service();
        await service.AttachAsync(Ada, AdasConversation, "data.csv", Bytes(10));
        _store.StoredOutputBytes[Ada] = new QuotaOptions().StorageBytes - 10;

        var outcome = await service.AttachAsync(Ada, AdasConversation, "data.csv", Bytes(10));

        Assert.True(Assert.IsType<AttachOutcome.Attached>(outcome).Replaced);
    }

    [Fact]
    public async Task A_removed_file_is_gone_from_the_list_and_from_the_inputs_of_the_next_run()
    {
        var service = Service();
        var kept = Assert.IsType<AttachOutcome.Attached>(await service.AttachAsync(Ada, AdasConversation, "kept.txt", Bytes(2))).Attachment;
        var removed = Assert.IsType<AttachOutcome.Attached>(await service.AttachAsync(Ada, AdasConversation, "removed.txt", Bytes(3))).Attachment;

        Assert.True(await service.RemoveAsync(Ada, AdasConversation, removed.Id));

        Assert.Equal([kept], await service.ListAsync(Ada, AdasConversation));
        Assert.Equal(["kept.txt"], (await service.InputsForRunAsync(AdasConversation)).Select(i => i.Name));
        Assert.Equal(Bytes(2).ToArray(), (await service.GetContentAsync(Ada, AdasConversation, kept.Id))!.Content);
    }

    private AttachmentService Service(QuotaOptions? quotas = null) =>
        new(_store, _store, Options.Create(new AttachmentOptions()), Options.Create(quotas ?? new QuotaOptions()));

    private static MemoryStream Bytes(int count) => new(Enumerable.Range(0, count).Select(i => (byte)i).ToArray());

    /// <summary>A stream that never ends, counting how far it was read.</summary>
    private sealed class EndlessStream : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)'x', offset, count);
            _position += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
