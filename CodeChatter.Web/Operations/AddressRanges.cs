using System.Net;

namespace CodeChatter.Web.Operations;

/// <summary>A list of addresses and CIDR ranges a request's client address is checked against.</summary>
internal sealed class AddressRanges
{
    private readonly System.Net.IPNetwork[] _networks;

    public AddressRanges(IEnumerable<string> entries) =>
        _networks = entries.Select(entry => entry.Contains('/', StringComparison.Ordinal)
            ? System.Net.IPNetwork.Parse(entry)
            : new System.Net.IPNetwork(IPAddress.Parse(entry), IPAddress.Parse(entry).AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)).ToArray();

    /// <summary>Loopback only: 127.0.0.0/8 and ::1.</summary>
    public static AddressRanges Loopback { get; } = new(["127.0.0.0/8", "::1"]);

    public bool Contains(IPAddress? address)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return _networks.Any(network => network.Contains(address));
    }
}
