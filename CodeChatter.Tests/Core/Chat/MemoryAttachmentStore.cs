using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Attachments;
using CodeChatter.Core.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Core.Chat;

/// <summary>
/// Attachments kept in memory, with the same ownership rules as the data layer's store: a conversation is
/// only found for the person it was given to. Also the storage usage: its attachments plus
/// <see cref="StoredOutputBytes"/>, which stands for the person's stored run items.
/// </summary>
internal sealed class MemoryAttachmentStore : IAttachmentStore, IStorageUsage
{
    private readonly Dictionary<long, string> _owners = [];
    private readonly List<AttachmentContent> _files = [];
    private long _nextId;

    /// <summary>Bytes of stored run items, per person.</summary>
    public Dictionary<string, long> StoredOutputBytes { get; } = [];

    /// <summary>The conversations whose inputs a run loaded, in order.</summary>
    public List<long> LoadedConversations { get; } = [];

    /// <summary>When set, loading a run's inputs fails with it, as a database that cannot be read would.</summary>
    public Exception? LoadFailure { get; set; }

    /// <summary>Makes <paramref name="conversationId"/> belong to <paramref name="userId"/>.</summary>
    public MemoryAttachmentStore Owning(string userId, long conversationId)
    {
        _owners[conversationId] = userId;
        return this;
    }

    public Task<IReadOnlyList<AttachmentView>?> ListAsync(string userId, long conversationId, CancellationToken cancellationToken = default) =>
        Task.FromResult(IsOwned(userId, conversationId)
            ? (IReadOnlyList<AttachmentView>?)_files.Where(f => f.ConversationId == conversationId).OrderBy(f => f.Name, StringComparer.Ordinal).Select(View).ToList()
            : null);

    public Task<(AttachmentView Attachment, bool Replaced)?> PutAsync(
        string userId, long conversationId, string name, byte[] content, CancellationToken cancellationToken = default)
    {
        if (!IsOwned(userId, conversationId)) return Task.FromResult<(AttachmentView, bool)?>(null);
        var existing = _files.FindIndex(f => f.ConversationId == conversationId && f.Name == name);
        var stored = new AttachmentContent(existing >= 0 ? _files[existing].Id : ++_nextId, conversationId, name, content);
        if (existing >= 0) _files[existing] = stored;
        else _files.Add(stored);
        return Task.FromResult<(AttachmentView, bool)?>((View(stored), existing >= 0));
    }

    public Task<bool> RemoveAsync(string userId, long conversationId, long attachmentId, CancellationToken cancellationToken = default) =>
        Task.FromResult(IsOwned(userId, conversationId) && _files.RemoveAll(f => f.ConversationId == conversationId && f.Id == attachmentId) > 0);

    public Task<AttachmentContent?> GetContentAsync(string userId, long conversationId, long attachmentId, CancellationToken cancellationToken = default) =>
        Task.FromResult(IsOwned(userId, conversationId) ? _files.FirstOrDefault(f => f.ConversationId == conversationId && f.Id == attachmentId) : null);

    public Task<IReadOnlyList<InputFile>> LoadInputsAsync(long conversationId, CancellationToken cancellationToken = default)
    {
        LoadedConversations.Add(conversationId);
        if (LoadFailure is { } failure) return Task.FromException<IReadOnlyList<InputFile>>(failure);
        return Task.FromResult<IReadOnlyList<InputFile>>(_files
            .Where(f => f.ConversationId == conversationId)
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => new InputFile(f.Name, f.Content, OutputFingerprint.HashOf(f.Content)))
            .ToList());
    }

    public Task<long> UsedBytesAsync(string userId, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            _files.Where(f => IsOwned(userId, f.ConversationId)).Sum(f => f.Content.LongLength)
            + StoredOutputBytes.GetValueOrDefault(userId));

    private bool IsOwned(string userId, long conversationId) => _owners.TryGetValue(conversationId, out var owner) && owner == userId;

    private static AttachmentView View(AttachmentContent file) =>
        new(file.Id, file.ConversationId, file.Name, file.Content.LongLength, DateTimeOffset.UnixEpoch);
}

internal static class MemoryAttachmentServices
{
    /// <summary>Registers <paramref name="attachments"/> as both the attachment store and the storage usage.</summary>
    public static IServiceCollection AddAttachments(this IServiceCollection services, MemoryAttachmentStore attachments) =>
        services.AddSingleton<IAttachmentStore>(attachments).AddSingleton<IStorageUsage>(attachments);
}
