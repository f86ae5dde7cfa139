using Fabric.Grpc.Client;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CashTransfer.Testing.NodeCounterparts;

namespace Fabric.Grpc.Benchmarks;

/// <summary>Runs the grpc-js side of the benchmark (tests/interop/node/grpc/bench-*.js) as child processes.</summary>
internal static class NodeCounterpart
{
    /// <summary>Starts bench-server.js; returns the process (stdin open: closing it stops the server) and its port.</summary>
    public static (Process Server, int Port) StartServer()
    {
        var server = Start("grpc/bench-server.js");
        var line = server.StandardOutput.ReadLine() ?? throw new InvalidOperationException("bench-server.js exited: " + server.StandardError.ReadToEnd());
        return (server, int.Parse(line["PORT ".Length..], CultureInfo.InvariantCulture));
    }

    /// <summary>Runs bench-client.js against <paramref name="port"/>; returns its unary calls/s and duplex messages/s.</summary>
    public static async Task<(double Unary, double Duplex)> RunClientAsync(int port, TimeSpan duration, int concurrency)
    {
        using var client = Start("grpc/bench-client.js", "--target", $"127.0.0.1:{port}",
            "--seconds", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture));
        var output = await client.StandardOutput.ReadToEndAsync();
        await client.WaitForExitAsync();
        if (client.ExitCode != 0) throw new InvalidOperationException("bench-client.js failed: " + await client.StandardError.ReadToEndAsync());
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        return (json.RootElement.GetProperty("unary").GetDouble(), json.RootElement.GetProperty("duplex").GetDouble());
    }

    public static void Stop(Process server)
    {
        server.StandardInput.Close();
        if (!server.WaitForExit(2000)) server.Kill(entireProcessTree: true);
        server.Dispose();
    }

    private static Process Start(string script, params string[] arguments)
    {
        InteropNodeFolder.WithPackages(OfficialNodePackages.GrpcJs);
        return NodeScript.Start(script, arguments);
    }
}
