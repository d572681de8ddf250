using System.Text.Json;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Sharing;
using CodeChatter.Web.Pages.ShareView;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CodeChatter.Web.Api;

/// <summary>The body of <c>POST /api/conversations/{id}/shares</c>; it may be left out.</summary>
/// <param name="ExpiresInDays">Days until the link stops opening (1 to 365); never when left out.</param>
public sealed record ShareRequest(int? ExpiresInDays);

/// <summary>A share link in the API. <c>url</c> is what to hand out; <c>state</c> is <c>live</c>, <c>expired</c> or <c>revoked</c>.</summary>
public sealed record ShareLinkResponse(
    long Id, long ConversationId, string ConversationTitle, string Url, string Token, DateTime CreatedAt, DateTime? ExpiresAt,
    DateTime? RevokedAt, long ViewCount, DateTime? LastViewedAt, string State)
{
    public static ShareLinkResponse From(ShareLinkView link, HttpRequest request, DateTime utcNow)
    {
        ArgumentNullException.ThrowIfNull(link);
        return new(link.Id, link.ConversationId, link.ConversationTitle, ShareAddress.For(request, link.Token), link.Token, link.CreatedAt,
            link.ExpiresAt, link.RevokedAt, link.ViewCount, link.LastViewedAt, link.StateAt(utcNow).ToString().ToLowerInvariant());
    }
}

/// <summary>
/// Share links through the API: make one to a conversation of yours, list yours, revoke one. Mapped into the
/// <c>/api</c> group, so bearer tokens only, like every other endpoint there; someone else's id is a 404.
/// </summary>
public static class ShareEndpoints
{
    private static readonly JsonSerializerOptions Json = WireJson.CreateOptions();

    /// <summary>Maps the share endpoints into the API group.</summary>
    public static RouteGroupBuilder MapShareEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/conversations/{id:long}/shares", CreateAsync)
            .Accepts<ShareRequest>("application/json")
            .Produces<ShareLinkResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Makes a read-only link to one of your conversations (body optional: {\"expiresInDays\": 7}; never expires without it).");
        api.MapGet("/shares", ListAsync).WithSummary("Your share links, newest first, live, expired and revoked.");
        api.MapDelete("/shares/{id:long}", RevokeAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Revokes one of your share links: it no longer opens the conversation.");
        return api;
    }

    private static async Task<Results<Created<ShareLinkResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        long id, HttpRequest request, ShareService shares, TimeProvider clock, CancellationToken cancellationToken)
    {
        ShareRequest? body = null;
        // No body (no length, or none and no JSON type, as some clients send a bare POST) means no expiry.
        var hasBody = request.ContentLength is > 0 || (request.ContentLength is null && request.HasJsonContentType());
        if (hasBody)
        {
            try
            {
                body = await request.ReadFromJsonAsync<ShareRequest>(Json, cancellationToken);
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException)
            {
                return ExpiryProblem("The request body could not be read: send nothing, or JSON such as {\"expiresInDays\": 7}.");
            }
        }
        if (!ShareService.IsValidExpiry(body?.ExpiresInDays))
        {
            return ExpiryProblem($"'expiresInDays' must be 1 to {ShareService.MaxExpiryDays}, or left out for a link that never expires.");
        }
        var link = await shares.CreateAsync(request.HttpContext.User.UserId(), id, body?.ExpiresInDays, cancellationToken);
        if (link is null) return TypedResults.Problem($"You have no conversation {id}.", statusCode: StatusCodes.Status404NotFound);
        var response = ShareLinkResponse.From(link, request, clock.GetUtcNow().UtcDateTime);
        return TypedResults.Created(response.Url, response);
    }

    private static async Task<Ok<List<ShareLinkResponse>>> ListAsync(
        HttpRequest request, ShareService shares, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var links = await shares.ListMineAsync(request.HttpContext.User.UserId(), cancellationToken);
        return TypedResults.Ok(links.Select(l => ShareLinkResponse.From(l, request, now)).ToList());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        long id, HttpContext context, ShareService shares, CancellationToken cancellationToken) =>
        await shares.RevokeAsync(context.User.UserId(), id, cancellationToken) is null
            ? TypedResults.Problem($"You have no share link {id}.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.NoContent();

    private static ValidationProblem ExpiryProblem(string message) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { ["expiresInDays"] = [message] }, detail: "Unusable expiry.");
}
