using CodeChatter.Cluster;
using CodeChatter.Core;
using CodeChatter.Core.Chat;
using CodeChatter.Data;
using CodeChatter.Web;
using CodeChatter.Web.Api;
using CodeChatter.Web.CommandLine;
using CodeChatter.Web.Identity;
using CodeChatter.Web.Operations;

if (CommandLineVerbs.IsVerb(args))
{
    return await CommandLineVerbs.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddCodeChatterCore(builder.Configuration);
builder.Services.AddCodeChatterChat();
builder.Services.AddCodeChatterData(builder.Configuration, builder.Environment.ContentRootPath);
// With Cluster:Redis set, runs travel through Redis to runner nodes; without it, nothing changes.
builder.Services.AddCodeChatterCluster(builder.Configuration);
builder.Services.AddCodeChatterIdentity(builder.Configuration, builder.Environment);
builder.Services.AddCodeChatterPages();
builder.Services.AddCodeChatterApi();
builder.Services.AddCodeChatterRateLimiting(builder.Configuration);
builder.Services.AddSandboxStartupCheck();
builder.Services.AddCodeChatterForwardedHeaders(builder.Configuration);
builder.Services.AddCodeChatterHealthChecks();
builder.Services.AddCodeChatterMetrics();
builder.Services.AddHostedService<CodeChatter.Core.Operations.RetentionSweep>();

var app = builder.Build();

if (PublishedAssets.Prepare(app) is { } assetsProblem)
{
    // Straight to stderr: the console logger writes from a queue this early exit would not wait for.
    await Console.Error.WriteLineAsync(assetsProblem);
    return 1;
}

await app.InitializeDatabaseAsync();

// First, so everything after it (rate limits, audit, /metrics, health details) sees the client's address.
app.UseCodeChatterForwardedHeaders();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
}

app.UseSecurityHeaders();
app.UseCodeChatterStatusCodePages();
app.UseRouting();
// Before authentication, so floods of bad tokens or passwords are limited before they cost a lookup.
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseRequestLogScope();
app.MapStaticAssets();
app.MapRazorPages().WithStaticAssets();
app.MapCodeChatterApi();
app.MapOpenApi();
app.MapCodeChatterHealth();
app.MapCodeChatterMetrics(app.Configuration);

await app.RunAsync();
return 0;

/// <summary>The web app's entry point; public so integration tests can host it.</summary>
public partial class Program;
