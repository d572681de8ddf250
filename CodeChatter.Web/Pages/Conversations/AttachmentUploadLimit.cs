using CodeChatter.Core.Chat.Attachments;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Options;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>
/// Caps the chat page's upload (its <c>Attach</c> handler; see <see cref="AttachmentUploads"/>) and turns a body
/// over the cap into a status message on the chat page instead of an error page. It runs before the
/// antiforgery check: that check reads the form first (the token is a form field), and a form it cannot read
/// fails as a bare 400. The form it reads stays cached for the check and the handler.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AttachmentUploadLimitAttribute : Attribute, IAsyncAuthorizationFilter, IOrderedFilter
{
    /// <summary>The handler whose requests are capped.</summary>
    public const string Handler = "Attach";

    // Before the antiforgery filter (order 1000).
    public int Order => -1000;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        if (!HttpMethods.IsPost(http.Request.Method) || !IsUploadHandler(context)) return;
        var limits = http.RequestServices.GetRequiredService<IOptions<AttachmentOptions>>().Value;
        if (await AttachmentUploads.TryReadFormAsync(http, limits)) return;

        var tempData = http.RequestServices.GetRequiredService<ITempDataDictionaryFactory>().GetTempData(http);
        tempData[nameof(ChatModel.StatusMessage)] = AttachmentUploads.TooLarge(limits);
        // A result set here skips the filter that would save it.
        tempData.Save();
        // Only a message of ours and a way back: the chat page checks the conversation is theirs when it loads.
        context.Result = new RedirectToPageResult("/Conversations/Chat", null, new { id = context.RouteData.Values["id"] }, "attachments");
    }

    private static bool IsUploadHandler(AuthorizationFilterContext context)
    {
        var handler = context.RouteData.Values["handler"] as string ?? context.HttpContext.Request.Query["handler"].ToString();
        return string.Equals(handler, Handler, StringComparison.OrdinalIgnoreCase);
    }
}
