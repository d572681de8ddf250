using System.ComponentModel.DataAnnotations;
using CodeChatter.Data;
using CodeChatter.Data.Entities;
using CodeChatter.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Web.Pages.Account;

/// <summary>The person's API tokens: make one (shown once), see when each was last used, revoke.</summary>
public class TokensModel(ChatDbContext db, ApiTokenIssuer issuer, TimeProvider time) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    /// <summary>The token just made; only ever set on the response to the POST that made it.</summary>
    public string? NewToken { get; private set; }

    public IReadOnlyList<ApiToken> Tokens { get; private set; } = [];

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
        var (row, token) = await issuer.CreateAsync(User.UserId(), Input.Name);
        // Not post/redirect/get on purpose: the token must reach the person exactly once and never be
        // kept anywhere (TempData would put it in a cookie). Reloading this response cannot show it again.
        NewToken = token;
        StatusMessage = $"Token '{row.Name}' created. Copy it now: it will not be shown again.";
        Input = new InputModel();
        ModelState.Clear();
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long tokenId)
    {
        var token = await db.ApiTokens.OwnedBy(User.UserId()).SingleOrDefaultAsync(t => t.Id == tokenId);
        if (token is null) return NotFound();
        if (token.RevokedAt is null)
        {
            token.RevokedAt = time.GetUtcNow().UtcDateTime;
            db.AuditEvents.Add(new AuditEvent { ActorId = User.UserId(), Action = AuditActions.TokenRevoked, Target = User.UserId(), Detail = $"{token.Name} ({token.Prefix})" });
            await db.SaveChangesAsync();
        }
        StatusMessage = $"Token '{token.Name}' revoked; it no longer works.";
        return RedirectToPage();
    }

    private async Task LoadAsync() =>
        Tokens = await db.ApiTokens.OwnedBy(User.UserId()).AsNoTracking()
            .OrderBy(t => t.RevokedAt != null).ThenByDescending(t => t.CreatedAt)
            .ToListAsync();
}
