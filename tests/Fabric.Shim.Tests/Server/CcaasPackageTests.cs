using System.Security.Cryptography.X509Certificates;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Fabric.Shim.Tests.Support;

namespace Fabric.Shim.Tests.Server;

/// <summary>chaincode/package-ccaas.sh writes the nested layout Fabric's ccaas builder reads.</summary>
public sealed class CcaasPackageTests : IDisposable
{
    private readonly TlsFiles _tls = new();
    private readonly string _output = Directory.CreateTempSubdirectory("shim-pkg-").FullName;

    public void Dispose()
    {
        _tls.Dispose();
        Directory.Delete(_output, recursive: true);
    }

    private static string Script()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CashTransfer.sln"))) directory = directory.Parent;
        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("repository root not found"), "chaincode", "package-ccaas.sh");
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script());
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "package-ccaas.sh did not finish");
        return (process.ExitCode, output.Result, error.Result);
    }

    private static Dictionary<string, byte[]> Entries(Stream gzip)
    {
        var entries = new Dictionary<string, byte[]>();
        using var reader = new TarReader(new GZipStream(gzip, CompressionMode.Decompress));
        while (reader.GetNextEntry() is { } entry)
        {
            using var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            entries[entry.Name] = data.ToArray();
        }
        return entries;
    }

    [Fact]
    public void A_plain_text_package_holds_metadata_and_code_with_connection_json()
    {
        var (exit, output, error) = Run("--label", "cashtransfer_1.0", "--address", "chaincode.wfp.example:9999", "--output", _output);
        Assert.True(exit == 0, error);
        var package = Path.Combine(_output, "cashtransfer_1.0.tar.gz");
        Assert.Equal(package, output.Trim());

        var outer = Entries(File.OpenRead(package));
        Assert.Equal(["code.tar.gz", "metadata.json"], outer.Keys.Order());
        using var metadata = JsonDocument.Parse(outer["metadata.json"]);
        Assert.Equal("ccaas", metadata.RootElement.GetProperty("type").GetString());
        Assert.Equal("cashtransfer_1.0", metadata.RootElement.GetProperty("label").GetString());

        var code = Entries(new MemoryStream(outer["code.tar.gz"]));
        using var connection = JsonDocument.Parse(Assert.Single(code, e => e.Key == "connection.json").Value);
        var root = connection.RootElement;
        Assert.Equal("chaincode.wfp.example:9999", root.GetProperty("address").GetString());
        Assert.Equal("10s", root.GetProperty("dial_timeout").GetString());
        Assert.False(root.GetProperty("tls_required").GetBoolean());
        Assert.False(root.GetProperty("client_auth_required").GetBoolean());
    }

    [Fact]
    public void A_mutual_TLS_package_carries_the_PEM_texts_and_is_reproducible()
    {
        var clientKey = _tls.Path("client.key");
        File.WriteAllText(_tls.Path("client.pem"), _tls.Client.ExportCertificatePem());
        File.WriteAllText(clientKey, _tls.Client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        string[] args = ["--label", "cc_2", "--address", "127.0.0.1:9999", "--tls", "--root-cert", _tls.Path("ca.pem"),
            "--client-auth", "--client-cert", _tls.Path("client.pem"), "--client-key", clientKey, "--dial-timeout", "5s", "--output", _output];
        Assert.Equal(0, Run(args).ExitCode);
        var first = File.ReadAllBytes(Path.Combine(_output, "cc_2.tar.gz"));
        Assert.Equal(0, Run(args).ExitCode);
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(_output, "cc_2.tar.gz")));

        var code = Entries(new MemoryStream(Entries(new MemoryStream(first))["code.tar.gz"]));
        using var connection = JsonDocument.Parse(code["connection.json"]);
        var root = connection.RootElement;
        Assert.True(root.GetProperty("tls_required").GetBoolean());
        Assert.True(root.GetProperty("client_auth_required").GetBoolean());
        Assert.Equal("5s", root.GetProperty("dial_timeout").GetString());
        Assert.Equal(File.ReadAllText(_tls.Path("ca.pem")).Trim(), root.GetProperty("root_cert").GetString()!.Trim());
        Assert.Equal(File.ReadAllText(clientKey).Trim(), root.GetProperty("client_key").GetString()!.Trim());
        Assert.Equal(_tls.Client.ExportCertificatePem().Trim(), root.GetProperty("client_cert").GetString()!.Trim());
    }

    [Theory]
    [InlineData("--label", "bad label", "--address", "h:1")]
    [InlineData("--label", "ok", "--address", "no-port")]
    [InlineData("--label", "ok", "--address", "h:1", "--tls")]
    [InlineData("--label", "ok", "--address", "h:1", "--client-auth")]
    public void Bad_input_is_refused_with_a_message_and_writes_nothing(params string[] args)
    {
        var (exit, _, error) = Run([.. args, "--output", _output]);
        Assert.NotEqual(0, exit);
        Assert.StartsWith("package-ccaas:", error);
        Assert.Empty(Directory.GetFiles(_output));
    }
}
