using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages;

public class PrivacyModel : PageModel
{
    public void OnGet()
    {
    }
}

