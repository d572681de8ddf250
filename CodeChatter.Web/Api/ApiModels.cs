using System.Text.Json.Serialization;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Attachments;
using CodeChatter.Core.Chat.Reading;

namespace CodeChatter.Web.Api;

/// <summary>The body of <c>POST /api/runs</c>.</summary>
/// <param name="Language">A language id from <c>GET /api/languages</c>, such as <c>python</c>.</param>
/// <param name="Code">The snippet.</param>
/// <param name="Stdin">Standard input; empty when left out.</param>
/// <param name="ConversationId">A conversation of yours to append to; a new one is made when left out.</param>
/// <param name="Mode">
/// How a new conversation runs its snippets: <c>session</c> (the default: one live interpreter per language
/// keeps names between messages) or <c>fresh</c> (a new sandbox per message). Ignored when appending.
/// </param>
public sealed record RunRequest(string? Language, string? Code, string? Stdin, long? ConversationId, string? Mode = null);

/// <summary>The body of <c>PUT /api/conversations/{id}/mode</c>.</summary>
/// <param name="Mode"><c>session</c> or <c>fresh</c>.</param>
public sealed record ModeRequest(string? Mode);

/// <summary>A conversation in the list.</summary>
public sealed record ConversationListItem(long Id, string Title, string DefaultLanguage, ConversationMode Mode, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static ConversationListItem From(ConversationSummary c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c.Id, c.Title, c.DefaultLanguage, c.Mode, c.CreatedAt, c.UpdatedAt);
    }
}

/// <summary>A conversation with every message and every run of each.</summary>
public sealed record ConversationResponse(
    long Id, string Title, string DefaultLanguage, ConversationMode Mode, DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<SnippetResponse> Snippets)
{
    public static ConversationResponse From(ConversationView c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c.Id, c.Title, c.DefaultLanguage, c.Mode, c.CreatedAt, c.UpdatedAt, c.Messages.Select(SnippetResponse.From).ToList());
    }
}

/// <summary>A message: code (with its runs, oldest first) or a Markdown note.</summary>
public sealed record SnippetResponse(
    long Id, int Sequence, SnippetKind Kind, string Language, string Code, string Stdin, DateTime CreatedAt, IReadOnlyList<RunView> Executions)
{
    public static SnippetResponse From(MessageView m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(m.SnippetId, m.Sequence, m.Kind, m.Language, m.Code, m.Stdin, m.CreatedAt,
            m.Replies.Select(r => r.Run.ForApi()).Reverse().ToList());
    }
}

/// <summary>A language this instance can run, with the packages it offers (configuration: <c>Execution:Languages:{id}:Packages</c>).</summary>
public sealed record LanguageResponse(string Id, string DisplayName, string EditorMode, IReadOnlyList<PackageResponse> Packages);

/// <summary>A package a language offers, with its installed version (null when it is not installed).</summary>
public sealed record PackageResponse(string Name, string? Version);

/// <summary>
/// A file attached to a conversation: every message of it finds the file as <c>inputs/{name}</c>. Its bytes
/// are downloaded from <see cref="Url"/>.
/// </summary>
/// <param name="Id">Its id.</param>
/// <param name="ConversationId">Its conversation.</param>
/// <param name="Name">Its name under <c>inputs/</c>.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="CreatedAt">When it was attached (or last replaced).</param>
/// <param name="Url">Where its owner downloads it.</param>
public sealed record AttachmentResponse(long Id, long ConversationId, string Name, long Size, DateTimeOffset CreatedAt, string Url)
{
    /// <summary>In the answer to an upload: whether it replaced an attachment of the same name.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Replaced { get; init; }

    public static AttachmentResponse From(AttachmentView a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.Id, a.ConversationId, a.Name, a.Size, a.CreatedAt, ApiRunOutputs.AttachmentUrl(a.ConversationId, a.Id));
    }
}

/// <summary>The multipart form of <c>POST /api/conversations/{id}/attachments</c> (described for the OpenAPI document).</summary>
/// <param name="File">The file; its file name becomes the attachment's name.</param>
public sealed record AttachmentUpload(IFormFile File);
