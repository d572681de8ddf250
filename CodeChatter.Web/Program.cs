using CodeChatter.Core;
using CodeChatter.Web;
using CodeChatter.Web.CommandLine;

if (CommandLineVerbs.IsVerb(args))
{
    return await CommandLineVerbs.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddCodeChatterCore(builder.Configuration);
builder.Services.AddSandboxStartupCheck(builder.Environment);
builder.Services.AddRazorPages();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
}

app.UseRouting();
app.UseAuthorization();
app.MapStaticAssets();
app.MapRazorPages().WithStaticAssets();

await app.RunAsync();
return 0;

/// <summary>The web app's entry point; public so integration tests can host it.</summary>
public partial class Program;
