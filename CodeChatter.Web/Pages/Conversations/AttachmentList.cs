using CodeChatter.Core.Chat.Attachments;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>A conversation's attachments as <c>_Attachments</c> draws them, with the limits its upload form states.</summary>
public sealed record AttachmentList(long ConversationId, IReadOnlyList<AttachmentView> Attachments, AttachmentOptions Limits);
