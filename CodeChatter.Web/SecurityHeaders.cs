using System.Security.Cryptography;

namespace CodeChatter.Web;

/// <summary>
/// Headers every response carries. Pages have no inline script, and no inline style except the one
/// <c>&lt;style&gt;</c> element the code editor (CodeMirror) inserts, which carries this request's nonce
/// (read from <c>&lt;meta name="csp-nonce"&gt;</c>; see frontend/README.md).
/// </summary>
internal static class SecurityHeaders
{
    private static readonly object NonceKey = new();

    /// <summary>This request's CSP nonce for style elements.</summary>
    public static string CspNonce(this HttpContext context) =>
        context.Items[NonceKey] as string ?? throw new InvalidOperationException("UseSecurityHeaders has not run for this request.");

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(next => context =>
        {
            var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy =
                "default-src 'self'; script-src 'self'; " +
                $"style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; connect-src 'self'; " +
                "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            return next(context);
        });
}
