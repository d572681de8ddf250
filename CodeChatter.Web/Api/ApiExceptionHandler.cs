using Microsoft.AspNetCore.Diagnostics;

namespace CodeChatter.Web.Api;

/// <summary>
/// An exception under <c>/api</c> is answered with ProblemDetails, never the HTML error page (scripts read
/// the API). A request the server refused (Kestrel's <see cref="BadHttpRequestException"/>: a body over the size
/// limit, a client that stopped sending) keeps its 4xx status and says why; anything else is a 500 that names
/// neither the cause, which is for the log, nor what was kept, which the server cannot know at this point.
/// </summary>
internal sealed class ApiExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        // The middleware has already pointed the request at the error page; the feature keeps where it went.
        var path = context.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? context.Request.Path.Value;
        if (!new PathString(path).StartsWithSegments("/api")) return false;

        var problem = exception is BadHttpRequestException refused
            ? TypedResults.Problem(refused.Message, statusCode: refused.StatusCode)
            : TypedResults.Problem(
                "The server failed while handling this request. Part of it may have been done: look at your conversations and runs before you retry.",
                statusCode: StatusCodes.Status500InternalServerError);
        // Written as JSON whatever the client accepts (ProblemHttpResult falls back when no writer accepts it).
        await problem.ExecuteAsync(context);
        return true;
    }
}
