using CodeChatter.Core.Chat.Reading;
using CodeChatter.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Conversations;

public class IndexModel(IConversationQueries conversations) : PageModel
{
    private const int PageSize = 20;

    public IReadOnlyList<ConversationSummary> Conversations { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, PageSize, 0);

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task OnGetAsync(int pageNumber = 1)
    {
        var page = await conversations.ListAsync(User.UserId(), pageNumber, PageSize, HttpContext.RequestAborted);
        (Conversations, Paging) = (page.Items, Paging.Of(page));
    }
}
