using System.Net;
using System.Net.Sockets;

namespace Harness.Vm;

/// <summary>
/// A TCP port on 127.0.0.1 that nothing listens on right now: the kernel picks it (bind to port 0), we close it
/// and hand it to QEMU. Another process may take it in between; QEMU then fails with "Could not set up host
/// forwarding rule" and <see cref="QemuVm"/> retries with a new port.
/// </summary>
public static class FreePort
{
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>QEMU's message when the forwarded port was taken between <see cref="Pick"/> and its start.</summary>
    public const string PortTakenMessage = "Could not set up host forwarding rule";
}
