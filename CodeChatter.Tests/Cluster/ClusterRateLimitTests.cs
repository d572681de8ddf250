using System.Net;
using CodeChatter.Tests.Web;
using CodeChatter.Tests.Web.Api;

namespace CodeChatter.Tests.Cluster;

/// <summary>
/// Two web instances of a cluster on real Kestrel, on one database and one Redis, as behind a load balancer,
/// allowing three API requests per token per window.
/// </summary>
public sealed class ClusterRateLimitTests : IAsyncLifetime
{
    // Long enough that the few requests of a test never straddle two windows (see WindowClock).
    private static readonly TimeSpan ApiWindow = TimeSpan.FromMinutes(10);

    private readonly TempRedisServer _redis = new();
    private LowApiLimitClusterWebFactory _web = null!;
    private LowApiLimitClusterWebFactory _otherWeb = null!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        _web = new LowApiLimitClusterWebFactory(_redis.Configuration);
        _ = _web.ServerAddress;
        _otherWeb = new LowApiLimitClusterWebFactory(_redis.Configuration, _web.DataDirectory);
        _ = _otherWeb.ServerAddress;
    }

    public async Task DisposeAsync()
    {
        await _otherWeb.DisposeAsync();
        await _web.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Api_requests_alternating_between_two_web_instances_share_one_limit_and_the_fourth_is_429()
    {
        using var api = await ApiClient.CreateAsync(_web);
        using var sameTokenElsewhere = ApiClient.WithToken(_otherWeb, api.Token);
        using var someoneElse = await ApiClient.CreateAsync(_otherWeb);
        await WindowClock.RoomForAsync(ApiWindow, TimeSpan.FromSeconds(30));

        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { api.Http, sameTokenElsewhere, api.Http })
        {
            using var response = await client.GetAsync("/api/languages");
            statuses.Add(response.StatusCode);
        }
        using var fourth = await sameTokenElsewhere.GetAsync("/api/languages");
        using var backOnTheFirst = await api.Http.GetAsync("/api/languages");
        using var otherToken = await someoneElse.Http.GetAsync("/api/languages");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.InRange(fourth.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), ApiWindow);
        Assert.Equal(429, (await ApiClient.ProblemAsync(fourth)).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.TooManyRequests, backOnTheFirst.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherToken.StatusCode);
    }

    /// <summary>A web-role instance (as <see cref="ClusterWebFactory"/>) with an API limit of three per window.</summary>
    private sealed class LowApiLimitClusterWebFactory : ChatAppFactory
    {
        public LowApiLimitClusterWebFactory(string redis, string? sharedDataDirectory = null)
            : base(sharedDataDirectory)
        {
            Settings = new Dictionary<string, string>
            {
                ["Cluster:Redis"] = redis,
                ["Cluster:Role"] = "web",
                ["RateLimits:ApiPermitLimit"] = "3",
                ["RateLimits:ApiWindowSeconds"] = ((int)ApiWindow.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        }

        protected override IReadOnlyDictionary<string, string> Settings { get; }
    }
}
