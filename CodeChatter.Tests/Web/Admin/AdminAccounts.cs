using CodeChatter.Data.Entities;
using CodeChatter.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Web.Admin;

/// <summary>
/// People with and without the Admin role, whatever the order tests run in (the first account of an
/// instance becomes admin by itself, so a plain person is explicitly not one).
/// </summary>
internal static class AdminAccounts
{
    public static async Task<ChatClient> AdminAsync(ChatAppFactory factory)
    {
        var client = await ChatClient.RegisterAsync(factory);
        await SetAdminAsync(client, true);
        return client;
    }

    public static async Task<ChatClient> PersonAsync(ChatAppFactory factory)
    {
        var client = await ChatClient.RegisterAsync(factory);
        await SetAdminAsync(client, false);
        return client;
    }

    private static Task<bool> SetAdminAsync(ChatClient client, bool admin) => client.WithServicesAsync(async services =>
    {
        var users = services.GetRequiredService<UserManager<ChatUser>>();
        var user = (await users.FindByEmailAsync(client.Email))!;
        var isAdmin = await users.IsInRoleAsync(user, Roles.Admin);
        if (admin && !isAdmin) await users.AddToRoleAsync(user, Roles.Admin);
        if (!admin && isAdmin) await users.RemoveFromRoleAsync(user, Roles.Admin);
        return admin;
    });
}
