using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Routing;

namespace CodeChatter.Web.Identity;

/// <summary>
/// Turns an off-site <c>returnUrl</c> (<c>https://evil.example/</c>, <c>//evil.example</c>, <c>/\evil.example</c>)
/// into the home page before a page handler sees it. Identity's pages, including the ones this app does not
/// override (Register, Logout), hand it to <c>LocalRedirect</c>, which throws on it: a 500 and, on sign-out,
/// an error page that drops the header clearing the cookie, so the person stayed signed in.
/// </summary>
internal sealed class LocalReturnUrlFilter : IPageFilter
{
    private const string Argument = "returnUrl";

    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (context.HandlerArguments.TryGetValue(Argument, out var value) && value is string returnUrl)
        {
            var url = context.HttpContext.RequestServices.GetRequiredService<IUrlHelperFactory>().GetUrlHelper(context);
            if (!url.IsLocalUrl(returnUrl))
            {
                context.HandlerArguments[Argument] = url.Content("~/");
            }
        }
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
