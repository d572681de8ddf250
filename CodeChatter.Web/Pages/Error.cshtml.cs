using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace CodeChatter.Web.Pages;

/// <summary>
/// The error page, inside the layout: an unhandled exception (<c>/Error</c>) or a status code re-executed
/// here by the status-code pages (<c>/Error/404</c>). A re-executed POST keeps its method, so the page
/// works out what to say in properties rather than in a GET handler.
/// </summary>
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
[IgnoreAntiforgeryToken]
public class ErrorModel : PageModel
{
    /// <summary>The status code re-executed here, or null after an exception.</summary>
    [BindProperty(SupportsGet = true)]
    public int? Code { get; set; }

    public string RequestId => Activity.Current?.Id ?? HttpContext.TraceIdentifier;

    public bool IsNotFound => Code == StatusCodes.Status404NotFound;

    public bool IsStatusCode => Code is >= 400 and < 500;

    public string Title => Code switch
    {
        StatusCodes.Status404NotFound => "Page not found",
        StatusCodes.Status429TooManyRequests => "Too many requests",
        >= 400 and < 500 and var code => ReasonPhrases.GetReasonPhrase(code) is { Length: > 0 } phrase ? phrase : "Request refused",
        _ => "Something went wrong",
    };

    public void OnGet() => KeepStatus();

    public void OnPost() => KeepStatus();

    // Visited directly (/Error/404), the page still answers with the status it describes.
    private void KeepStatus()
    {
        if (Code is >= 400 and < 600 && Response.StatusCode == StatusCodes.Status200OK) Response.StatusCode = Code.Value;
    }
}
