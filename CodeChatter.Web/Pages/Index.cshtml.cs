using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages;

public class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
