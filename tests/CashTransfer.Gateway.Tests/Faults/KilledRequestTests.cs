extern alias chaincode;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Tests.Infrastructure;
using Fabric.Shim.Contracts;

namespace CashTransfer.Gateway.Tests.Faults;

/// <summary>
/// SIGKILLs a real service process while one request holds its Idempotency-Key (its endorsement is held at the
/// chaincode) and another is streaming a large upload, restarts it on the same data, and resends the first with the
/// same key: the key is not stuck (it runs and succeeds once the dead request's lease has run out), and the killed
/// upload left no request-buffering file in the temp folder, the spool or the uploads folder.
/// </summary>
public sealed class KilledRequestTests
{
    [Fact]
    public async Task After_a_kill_mid_request_a_resend_with_the_same_key_succeeds_and_no_buffer_files_remain()
    {
        var data = TempFolder.Create();
        var gate = new GatedChaincode(new ContractRouter(chaincode::CashTransfer.Chaincode.CashTransferContracts.All()), ChaincodeFunctions.RegisterRetailer);
        var (chaincodeServer, network) = await GatewayProcess.StartNetworkAsync(data, gate);
        await using var _ = chaincodeServer;
        await using var __ = network;
        using var operatorKey = new TestKey();
        using var auditorKey = new TestKey();
        var environment = GatewayProcess.FabricEnvironment(network, data, operatorKey, auditorKey);
        environment["CashTransfer__Idempotency__Lease"] = "00:00:03";
        var temp = Directory.CreateDirectory(Path.Combine(data, "tmp")).FullName;
        environment["TMPDIR"] = temp; // where ASP.NET Core's request buffering would write
        environment["DOTNET_EnableDiagnostics"] = "0";
        var gatewayData = environment["CashTransfer__DataDirectory"];

        var service = GatewayProcess.Start(environment);
        try
        {
            await service.WaitReadyAsync();
            using (var op = service.Client("operator/wfp", operatorKey))
            {
                // The first transactions may meet peers that are still connecting to each other.
                await Requests.EventuallyAsync(async () => (await op.SendAsync(Register("R-0", "warm-up"))).IsSuccessStatusCode, "a first retailer is registered", 60000);

                gate.Close();
                var held = op.SendAsync(Register("R-1", "key-of-R-1"));
                await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(60));

                // A 1 MB upload whose first 256 KB have been read by the service when it dies.
                var csv = Encoding.UTF8.GetBytes("beneficiaryHash,amountMinor\n" + string.Concat(Enumerable.Repeat(new string('a', 64) + ",100\n", 15_000)));
                using var body = new CountingContent(csv, sendFirst: 256 * 1024);
                using var raw = new HttpClient { BaseAddress = service.BaseAddress };
                var upload = raw.SendAsync(StreamedRequests.Signed("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", "operator/wfp", operatorKey.Signer,
                    SHA256.HashData(csv), body, "text/csv"));
                await body.FirstPartSent.Task.WaitAsync(TimeSpan.FromSeconds(60));
                await Requests.EventuallyAsync(() => Task.FromResult(BufferFiles(temp, gatewayData).Count > 0), "the service buffers the upload's body", 30000);

                await service.KillAsync();
                await Assert.ThrowsAnyAsync<Exception>(() => held);
                await Assert.ThrowsAnyAsync<Exception>(() => upload);
            }
            gate.Open();

            service.Dispose();
            service = GatewayProcess.Start(environment, service.Port);
            await service.WaitReadyAsync();
            Assert.Empty(BufferFiles(temp, gatewayData));

            using var again = service.Client("operator/wfp", operatorKey);
            HttpResponseMessage? answer = null;
            await Requests.EventuallyAsync(async () =>
            {
                answer?.Dispose();
                answer = await again.SendAsync(Register("R-1", "key-of-R-1"));
                return answer.StatusCode != HttpStatusCode.Conflict; // 409 idempotency-in-progress until the dead request's lease runs out
            }, "the resend is no longer refused as in progress", 30000);
            Assert.Equal(HttpStatusCode.Created, answer!.StatusCode);
            Assert.Equal("R-1", (await answer.JsonAsync()).GetProperty("retailerId").GetString());
            answer.Dispose();
        }
        finally
        {
            gate.Open();
            service.Dispose();
        }
    }

    private static HttpRequestMessage Register(string retailerId, string key) =>
        Requests.Post("api/operator/retailers", new { retailerId, categories = new[] { "food" } }, key);

    /// <summary>Request-buffering files: ASP.NET Core's in the temp folder, the service's own spool, and partly received uploads.</summary>
    private static List<string> BufferFiles(string temp, string gatewayData)
    {
        var files = Directory.GetFiles(temp, "ASPNETCORE_*").ToList();
        foreach (var folder in new[] { Path.Combine(gatewayData, "spool"), Path.Combine(gatewayData, "uploads") })
            if (Directory.Exists(folder)) files.AddRange(Directory.GetFiles(folder));
        return files;
    }
}
