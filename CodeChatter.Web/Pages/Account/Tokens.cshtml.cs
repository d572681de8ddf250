using System.ComponentModel.DataAnnotations;
using CodeChatter.Core.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Account;

/// <summary>The person's API tokens: make one (shown once), see when each was last used, revoke.</summary>
public class TokensModel(IApiTokens tokens) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    /// <summary>
    /// The "created, copy it now" banner: set on the response that shows the token, never through TempData,
    /// so the next visit neither repeats it nor promises a token it cannot show.
    /// </summary>
    public string? CreatedMessage { get; private set; }

    /// <summary>The token just made; only ever set on the response to the POST that made it.</summary>
    public string? NewToken { get; private set; }

    public IReadOnlyList<ApiTokenRow> Tokens { get; private set; } = [];

    public class InputModel
    {
        [Required]
        [StringLength(100)]
        [Display(Name = "Token name")]
        public string Name { get; set; } = "";
    }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostCreateAsync()
    {
        if (!ModelState.IsValid)
        {
            await LoadAsync();
            return Page();
        }
        var issued = await tokens.CreateAsync(User.UserId(), Input.Name, HttpContext.RequestAborted);
        // Not post/redirect/get on purpose: the token must reach the person exactly once and never be
        // kept anywhere (TempData would put it in a cookie). Reloading this response cannot show it again.
        NewToken = issued.Token;
        CreatedMessage = $"Token '{issued.Row.Name}' created. Copy it now: it will not be shown again.";
        Input = new InputModel();
        ModelState.Clear();
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long tokenId)
    {
        if (await tokens.RevokeAsync(User.UserId(), tokenId, HttpContext.RequestAborted) is not { } token) return NotFound();
        StatusMessage = $"Token '{token.Name}' revoked; it no longer works.";
        return RedirectToPage();
    }

    private async Task LoadAsync() => Tokens = await tokens.ListAsync(User.UserId(), HttpContext.RequestAborted);
}
