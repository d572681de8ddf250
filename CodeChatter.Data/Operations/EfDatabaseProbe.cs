using CodeChatter.Core.Operations;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Data.Operations;

/// <summary>Asks the database for one row of the conversations table, so a missing schema fails too.</summary>
public sealed class EfDatabaseProbe(ChatDbContext db) : IDatabaseProbe
{
    /// <inheritdoc />
    public async Task<bool> AnswersAsync(CancellationToken cancellationToken = default)
    {
        await db.Conversations.AsNoTracking().Select(c => c.Id).FirstOrDefaultAsync(cancellationToken);
        return true;
    }
}
