using CodeChatter.Core.Chat.Reading;
using CodeChatter.Web.Rendering;

namespace CodeChatter.Web.Api;

/// <summary>
/// A run's displayed items as the API gives them: an image or a file as the address its owner fetches it from,
/// HTML already through <see cref="DisplayHtmlSanitizer"/> (a client may insert it as it is), text as text.
/// </summary>
public static class ApiRunOutputs
{
    /// <summary>The address of one stored image or file of a run.</summary>
    public static string ImageUrl(long runId, long outputId) => $"/api/runs/{runId}/outputs/{outputId}";

    /// <summary>The address of one attachment of a conversation.</summary>
    public static string AttachmentUrl(long conversationId, long attachmentId) => $"/api/conversations/{conversationId}/attachments/{attachmentId}";

    /// <summary>The run with its items ready for JSON.</summary>
    public static RunView ForApi(this RunView run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Outputs.Count == 0) return run;
        return run with
        {
            Outputs = run.Outputs.Select(item => item switch
            {
                { IsImage: true, Id: > 0 } or { IsFile: true, Id: > 0 } => item with { Url = ImageUrl(run.Id, item.Id) },
                { MediaType: Core.Execution.RichMediaTypes.Html } => item with { Html = DisplayHtmlSanitizer.Shared.Sanitize(item.Content) },
                _ => item,
            }).ToList(),
        };
    }
}
