using System.Collections;
using System.Security.Claims;

namespace CodeChatter.Web.Operations;

/// <summary>
/// Puts the signed-in person's id and, where the route names them, the conversation id and run id on every
/// log line of a request as structured fields (<c>PersonId</c>, <c>ConversationId</c>, <c>RunId</c>). A run
/// started by the request carries them on into the background, with its own <c>RunId</c>.
/// </summary>
internal static class RequestLogScope
{
    public static IApplicationBuilder UseRequestLogScope(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("CodeChatter.Web.Requests");
        return app.Use(async (context, next) =>
        {
            var fields = Fields(context);
            if (fields.Count == 0)
            {
                await next(context);
                return;
            }
            using (logger.BeginScope(new LogFields(fields)))
            {
                await next(context);
            }
        });
    }

    private static List<KeyValuePair<string, object?>> Fields(HttpContext context)
    {
        var fields = new List<KeyValuePair<string, object?>>(3);
        if (context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } personId) fields.Add(new("PersonId", personId));
        var route = context.Request.RouteValues;
        var path = context.Request.Path;
        var isRun = path.StartsWithSegments("/api/runs", StringComparison.OrdinalIgnoreCase);
        var isConversation = path.StartsWithSegments("/api/conversations", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/Conversations", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/Admin/Conversations", StringComparison.OrdinalIgnoreCase);
        if ((route.GetValueOrDefault("conversationId") ?? (isConversation ? route.GetValueOrDefault("id") : null)) is { } conversationId)
        {
            fields.Add(new("ConversationId", conversationId));
        }
        if ((route.GetValueOrDefault("executionId") ?? (isRun ? route.GetValueOrDefault("id") : null)) is { } runId)
        {
            fields.Add(new("RunId", runId));
        }
        return fields;
    }

    // Structured for the JSON console formatter (each pair a field), readable for the simple one.
    private sealed class LogFields(List<KeyValuePair<string, object?>> fields) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public KeyValuePair<string, object?> this[int index] => fields[index];

        public int Count => fields.Count;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => fields.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => string.Join(" ", fields.Select(field => $"{field.Key}={field.Value}"));
    }
}
