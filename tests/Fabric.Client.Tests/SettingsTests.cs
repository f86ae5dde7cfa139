using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fabric.Client.Configuration;
using Grpc.Core;
using Fabric.Grpc.Server;
using Gateway;

namespace Fabric.Client.Tests;

/// <summary>Connection settings from JSON and YAML, the MSP folder layout, and a TLS connection opened from settings.</summary>
[Collection(SerialCollection.Name)]
public sealed class SettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fabric-client-settings-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string RelativeMsp => Path.GetRelativePath(_dir, Vectors.UserMsp);

    [Fact]
    public void Yaml_settings_resolve_paths_against_their_folder_and_load_the_msp_identity()
    {
        var file = Path.Combine(_dir, "gateway.yaml");
        File.WriteAllText(file, $"""
            peerEndpoint: https://127.0.0.1:7051
            serverNameOverride: peer0.org1.example.com
            mspId: Org1MSP
            mspPath: {RelativeMsp}
            channel: mychannel
            """);

        var settings = GatewaySettings.Load(file);

        Assert.Equal(Path.GetFullPath(Vectors.UserMsp), settings.MspPath);
        Assert.Equal("peer0.org1.example.com", settings.ServerNameOverride);
        Assert.Equal("mychannel", settings.Channel);
        var identity = settings.LoadIdentity();
        Assert.Equal("Org1MSP", identity.MspId);
        Assert.Equal(Vectors.UserIdentity().ToSerializedIdentity(), identity.ToSerializedIdentity());
        // The key from keystore/ belongs to the certificate from signcerts/.
        using var signer = settings.LoadSigner();
        var message = "cash"u8.ToArray();
        Assert.True(identity.Verify(message, signer.Sign(message)));
    }

    [Fact]
    public void Json_settings_with_explicit_certificate_and_key_paths()
    {
        var file = Path.Combine(_dir, "gateway.json");
        File.WriteAllText(file, $$"""
            {
              "peerEndpoint": "http://127.0.0.1:7051",
              "mspId": "Org1MSP",
              "certificatePath": "{{Path.Combine(RelativeMsp, "signcerts", "User1@org1.example.com-cert.pem")}}",
              "privateKeyPath": "{{Path.Combine(RelativeMsp, "keystore", "priv_sk")}}"
            }
            """);

        var settings = GatewaySettings.Load(file);
        var identity = settings.LoadIdentity();
        using var signer = settings.LoadSigner();
        Assert.True(identity.Verify("x"u8, signer.Sign("x"u8)));
        Assert.Null(settings.ToChannelOptions().TrustedRoots);
    }

    [Fact]
    public void Missing_settings_are_listed_in_one_clear_error()
    {
        var file = Path.Combine(_dir, "gateway.yaml");
        File.WriteAllText(file, "peerEndpoint: localhost:7051\n");
        var e = Assert.Throws<InvalidDataException>(() => GatewaySettings.Load(file));
        Assert.Contains("peerEndpoint must be an absolute", e.Message);
        Assert.Contains("mspId is required", e.Message);
        Assert.Contains("mspPath", e.Message);
        Assert.Contains(file, e.Message);
    }

    [Fact]
    public void Unknown_json_keys_are_rejected_rather_than_ignored()
    {
        var file = Path.Combine(_dir, "gateway.json");
        File.WriteAllText(file, """{"peerEndpoint":"http://127.0.0.1:1","mspId":"Org1MSP","mspPath":"x","tlsCaCert":"typo"}""");
        Assert.Throws<InvalidDataException>(() => GatewaySettings.Load(file));
    }

    [Fact]
    public void Msp_folder_with_a_stale_key_beside_the_right_one_yields_the_matching_signer()
    {
        var msp = Path.Combine(_dir, "msp");
        foreach (var folder in new[] { "signcerts", "keystore" })
        {
            Directory.CreateDirectory(Path.Combine(msp, folder));
            foreach (var file in Directory.GetFiles(Path.Combine(Vectors.UserMsp, folder)))
                File.Copy(file, Path.Combine(msp, folder, Path.GetFileName(file)));
        }
        using (var stale = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            File.WriteAllText(Path.Combine(msp, "keystore", "0000_sk"), stale.ExportPkcs8PrivateKeyPem());
        var settings = new GatewaySettings { PeerEndpoint = "http://127.0.0.1:1", MspId = "Org1MSP", MspPath = msp };

        using var signer = settings.LoadSigner();
        Assert.True(settings.LoadIdentity().Verify("x"u8, signer.Sign("x"u8)));
    }

    [Fact]
    public async Task Connection_opened_from_settings_talks_tls_to_the_peer_named_by_the_override()
    {
        using var tlsKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=peer0.org1.example.com", tlsKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("peer0.org1.example.com");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var caFile = Path.Combine(_dir, "tlsca.pem");
        File.WriteAllText(caFile, certificate.ExportCertificatePem());
        using var serverCertificate = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);

        var services = new GrpcServiceDefinition().AddUnary(Internal.GatewayMethods.Evaluate,
            (_, _) => Task.FromResult(Vectors.Parse(EvaluateResponse.Parser, "15-get/01-evaluate-response.bin")));
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions { Port = 0, ServerCertificate = serverCertificate }, services);

        var file = Path.Combine(_dir, "gateway.yaml");
        File.WriteAllText(file, $"""
            peerEndpoint: https://127.0.0.1:{server.Port}
            serverNameOverride: peer0.org1.example.com
            tlsCaCertPath: tlsca.pem
            mspId: Org1MSP
            mspPath: {RelativeMsp}
            channel: mychannel
            """);
        // A generous deadline: the TLS handshake on a loaded 2-core machine can take seconds.
        using var connection = GatewayConnection.Open(GatewaySettings.Load(file), new GatewayOptions { EvaluateTimeout = TimeSpan.FromSeconds(60) });

        var contract = connection.Gateway.GetNetwork(connection.Settings.Channel!).GetContract("kvcc");
        byte[]? result = null;
        // Known transport flake (reported): under load a fresh TLS connection is sometimes closed with GOAWAY NO_ERROR
        // before the stream is served, surfaced as INTERNAL. Only that failure is tried again; the result is checked as is.
        for (var attempt = 1; result is null; attempt++)
        {
            try
            {
                result = await contract.EvaluateTransactionAsync("get", "asset2");
            }
            catch (GatewayException e) when (attempt < 3 && e.StatusCode == global::Grpc.Core.StatusCode.Internal && e.Message.Contains("server closed the connection"))
            {
            }
        }
        Assert.Equal("v2", Contract.AsString(result));
    }
}
