using System.Text.Json;
using Harness.Processes;

namespace Harness.Tests.Support;

/// <summary>
/// Debian's chromium, headless, through the project's process runner, kept off the network: every host
/// name resolves to nothing, every connection goes to a proxy on 127.0.0.1:9 where nothing listens, and a
/// NetLog of the session is kept so a test can check what the page (and the browser) tried to load.
/// Each instance has its own profile directory, so its processes can be found by that path.
/// </summary>
public sealed class HeadlessChromium(IProcessRunner runner, string workDirectory)
{
    public const string DeadProxy = "127.0.0.1:9";

    /// <summary>The profile directory; it appears in the command line of every chromium process this instance starts.</summary>
    public string Profile { get; } = Path.Combine(workDirectory, "chromium-profile");

    public string NetLog { get; } = Path.Combine(workDirectory, "chromium-netlog.json");

    /// <summary>Loads <paramref name="page"/> (a local file) at 1280x2000 and writes a PNG screenshot.</summary>
    public Task<ProcessResult> ScreenshotAsync(string page, string png, CancellationToken cancellationToken) =>
        RunAsync(page, [$"--screenshot={png}"], cancellationToken);

    /// <summary>Loads <paramref name="page"/> and returns the DOM after layout, as chromium serialises it.</summary>
    public async Task<string> DumpDomAsync(string page, CancellationToken cancellationToken) =>
        (await RunAsync(page, ["--dump-dom"], cancellationToken)).EnsureSuccess().StandardOutput;

    private Task<ProcessResult> RunAsync(string page, string[] action, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "--headless", "--no-sandbox", "--disable-gpu", $"--user-data-dir={Profile}",
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", "--disable-default-apps", "--disable-domain-reliability",
            "--disable-client-side-phishing-detection", "--disable-breakpad", "--no-pings", "--metrics-recording-only",
            "--disable-features=NetworkTimeServiceQuerying,MediaRouter,OptimizationHints",
            // What the flags above do not stop (the browser's own update and account checks) cannot leave the host:
            "--host-resolver-rules=MAP * ~NOTFOUND", $"--proxy-server={DeadProxy}",
            $"--log-net-log={NetLog}", "--window-size=1280,2000",
            .. action,
            new Uri(Path.GetFullPath(page)).AbsoluteUri,
        ];
        return runner.RunAsync(new ProcessSpec("chromium", arguments) { Timeout = TimeSpan.FromSeconds(90) }, cancellationToken);
    }

    /// <summary>What the last session's NetLog shows about the network.</summary>
    public NetLogSummary ReadNetLog()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(NetLog));
        var types = json.RootElement.GetProperty("constants").GetProperty("logEventTypes").EnumerateObject()
            .ToDictionary(p => p.Value.GetInt32(), p => p.Name);
        var pageRequests = new List<string>();
        var browserRequests = new List<string>();
        var connections = new List<string>();
        var udpSends = 0;
        foreach (var e in json.RootElement.GetProperty("events").EnumerateArray())
        {
            var type = types.GetValueOrDefault(e.GetProperty("type").GetInt32(), "");
            var parameters = e.TryGetProperty("params", out var p) ? p : default;
            string? Param(string name) => parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out var v) ? v.ToString() : null;
            switch (type)
            {
                // The browser's own requests have no origin; everything a page asks for has one ("null" for file://).
                case "URL_REQUEST_START_JOB" when Param("url") is { } url:
                    (Param("initiator") == "not an origin" ? browserRequests : pageRequests).Add(url);
                    break;
                case "TCP_CONNECT_ATTEMPT" when Param("address") is { } address:
                    connections.Add(address);
                    break;
                case "UDP_BYTES_SENT":
                    udpSends++;
                    break;
            }
        }
        return new NetLogSummary(pageRequests, browserRequests, connections, udpSends);
    }
}

/// <summary>
/// Requests the page made, requests the browser made on its own, the addresses TCP connections were
/// attempted to, and how many UDP datagrams were sent (a DNS query would be one).
/// </summary>
public sealed record NetLogSummary(IReadOnlyList<string> PageRequests, IReadOnlyList<string> BrowserRequests,
    IReadOnlyList<string> TcpConnectAttempts, int UdpDatagramsSent);
