using System.Globalization;
using CodeChatter.Core.Execution;
using Microsoft.Extensions.Options;

namespace CodeChatter.Core.Chat.Attachments;

/// <summary>
/// A conversation's attachments: files its owner puts in every message's <c>inputs/</c> folder. Checks the
/// name, the size limits and the person's storage quota before anything is stored.
/// </summary>
public sealed class AttachmentService(
    IAttachmentStore store, IStorageUsage usage, IOptions<AttachmentOptions> options, IOptions<QuotaOptions> quotas)
{
    private readonly AttachmentOptions _limits = options.Value;

    /// <summary>That person's conversation's attachments, or null when it is not theirs.</summary>
    public Task<IReadOnlyList<AttachmentView>?> ListAsync(string userId, long conversationId, CancellationToken cancellationToken = default) =>
        store.ListAsync(userId, conversationId, cancellationToken);

    /// <summary>The limits uploads are checked against, for pages to state them.</summary>
    public AttachmentOptions Limits => _limits;

    /// <summary>Attaches an uploaded file, after checking its name, its size, the conversation's limits and the storage quota.</summary>
    /// <param name="userId">Who uploads.</param>
    /// <param name="conversationId">To which of their conversations.</param>
    /// <param name="fileName">The name the uploader gave (made safe by <see cref="FileNames.ForAttachment"/>).</param>
    /// <param name="content">The file's bytes; read up to <see cref="AttachmentOptions.MaxFileBytes"/> plus one, never more.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    public async Task<AttachOutcome> AttachAsync(string userId, long conversationId, string? fileName, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var existing = await store.ListAsync(userId, conversationId, cancellationToken);
        if (existing is null) return new AttachOutcome.NotFound();
        if (FileNames.ForAttachment(fileName) is not { } name) return new AttachOutcome.Refused("The file needs a name.");

        var bytes = await ReadUpToAsync(content, _limits.MaxFileBytes + 1L, cancellationToken);
        if (bytes.LongLength > _limits.MaxFileBytes)
        {
            return new AttachOutcome.Refused($"{name} is larger than {Size(_limits.MaxFileBytes)}, the most one attachment may be.");
        }
        var replacing = existing.FirstOrDefault(a => a.Name == name);
        var others = existing.Where(a => a.Name != name).ToList();
        if (replacing is null && others.Count >= _limits.MaxFilesPerConversation)
        {
            return new AttachOutcome.Refused($"This conversation already has {others.Count} attachments, the most it may have. Remove one first.");
        }
        var conversationBytes = others.Sum(a => a.Size) + bytes.LongLength;
        if (conversationBytes > _limits.MaxBytesPerConversation)
        {
            return new AttachOutcome.Refused(
                $"Attaching {name} would make this conversation's attachments {Size(conversationBytes)}; the most is {Size(_limits.MaxBytesPerConversation)}. Remove one first.");
        }
        var quota = quotas.Value.StorageBytes;
        var used = await usage.UsedBytesAsync(userId, cancellationToken) - (replacing?.Size ?? 0);
        if (used + bytes.LongLength > quota)
        {
            return new AttachOutcome.Refused(
                $"Your storage quota of {Size(quota)} is used ({Size(Math.Max(used, 0))} stored): remove attachments or delete conversations to make room.");
        }
        var stored = await store.PutAsync(userId, conversationId, name, bytes, cancellationToken);
        return stored is { } put ? new AttachOutcome.Attached(put.Attachment, put.Replaced) : new AttachOutcome.NotFound();
    }

    /// <summary>Removes one attachment; false when there is no such one of theirs.</summary>
    public Task<bool> RemoveAsync(string userId, long conversationId, long attachmentId, CancellationToken cancellationToken = default) =>
        store.RemoveAsync(userId, conversationId, attachmentId, cancellationToken);

    /// <summary>One attachment's bytes for its owner's download, or null.</summary>
    public Task<AttachmentContent?> GetContentAsync(string userId, long conversationId, long attachmentId, CancellationToken cancellationToken = default) =>
        store.GetContentAsync(userId, conversationId, attachmentId, cancellationToken);

    /// <summary>The files a run of that conversation sees under <c>inputs/</c> (ownership of the run already checked).</summary>
    public Task<IReadOnlyList<InputFile>> InputsForRunAsync(long conversationId, CancellationToken cancellationToken = default) =>
        store.LoadInputsAsync(conversationId, cancellationToken);

    private static async Task<byte[]> ReadUpToAsync(Stream content, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (buffer.Length < limit)
        {
            var read = await content.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - buffer.Length)), cancellationToken);
            if (read == 0) break;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>A size in words (B, KiB, MiB).</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => (bytes / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => (bytes / (1024d * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
    };
}
