using System.Text;
using System.Text.Json;
using Fabric.Shim.Contracts;
using Fabric.Shim.Stub;
using Fabric.Shim.Tests.Support;
using Microsoft.Extensions.Logging.Testing;

namespace Fabric.Shim.Tests.Unit;

public sealed class ContractRouterTests
{
    public sealed record Voucher(string Id, long AmountMinor, string Currency);

    [Contract("wallet", IsDefault = true)]
    public sealed class WalletContract : Contract
    {
        public List<string> Calls { get; } = new();

        public override Task BeforeTransactionAsync(Context context)
        {
            Calls.Add($"before {context.Stub.Function}");
            if (context.Stub.Function.EndsWith("forbidden", StringComparison.Ordinal))
                throw new ChaincodeException("not allowed", 403);
            return Task.CompletedTask;
        }

        public override Task AfterTransactionAsync(Context context, object? result)
        {
            Calls.Add($"after {result}");
            return Task.CompletedTask;
        }

        [Transaction(Name = "add")]
        public int Add(Context context, int a, long b)
        {
            Calls.Add("add");
            return a + (int)b;
        }

        [Transaction(TransactionKind.Evaluate)]
        public Task<Voucher> Echo(Context context, Voucher voucher) => Task.FromResult(voucher);

        [Transaction]
        public async Task Nothing(Context context) => await Task.Yield();

        [Transaction(Name = "forbidden")]
        public string Forbidden(Context context) => "should not run";

        [Transaction(Name = "boom")]
        public string Boom(Context context) => throw new InvalidOperationException("the ledger is on fire");

        [Transaction(Name = "refuse")]
        public string Refuse(Context context) => throw new ChaincodeException("insufficient balance", 409, "{\"code\":\"BALANCE\"}"u8.ToArray());

        [Transaction(Name = "whoami")]
        public string WhoAmI(Context context) => $"{context.ClientIdentity.MspId} {context.ClientIdentity.GetAttributeValue("role")}";

        [Transaction(Name = "bytes")]
        public byte[] Bytes(Context context, byte[] data) => data.Reverse().ToArray();
    }

    [Contract("audit")]
    public sealed class AuditContract : Contract
    {
        public string? UnknownSeen { get; private set; }

        [Transaction(TransactionKind.Evaluate, Name = "count")]
        public ValueTask<int> Count(Context context, string[] items) => ValueTask.FromResult(items.Length);

        public override Task UnknownTransactionAsync(Context context)
        {
            UnknownSeen = context.Stub.Function;
            return Task.CompletedTask;
        }
    }

    private static async Task<ChaincodeResponse> InvokeAsync(ContractRouter router, params string[] args) =>
        await router.InvokeAsync(RecordingPeer.Stub(new RecordingPeer(), TestProposals.Simple(), args));

    private static string Text(ChaincodeResponse response) => Encoding.UTF8.GetString(response.Payload);

    [Fact]
    public async Task A_hostile_function_name_is_logged_on_one_line_and_bounded()
    {
        var logger = new FakeLogger();
        var router = new ContractRouter([new WalletContract()], logger);
        var hostile = "nosuch\n2026-12-06 INFO forged line\u2028" + new string('x', 10_000) + ":add";

        var response = await InvokeAsync(router, hostile);

        Assert.Equal(404, response.Status);
        var entry = Assert.Single(logger.Collector.GetSnapshot());
        Assert.DoesNotContain('\n', entry.Message);
        Assert.DoesNotContain('\u2028', entry.Message);
        Assert.Contains("nosuch\\u000a2026-12-06", entry.Message);
        Assert.True(entry.Message.Length < 400, $"{entry.Message.Length} characters logged");
    }

    [Fact]
    public async Task A_bare_function_name_goes_to_the_default_contract_and_a_prefixed_one_to_its_contract()
    {
        var wallet = new WalletContract();
        var router = new ContractRouter(wallet, new AuditContract());

        Assert.Equal("5", Text(await InvokeAsync(router, "add", "2", "3")));
        Assert.Equal("12", Text(await InvokeAsync(router, "wallet:add", "10", "2")));
        Assert.Equal("2", Text(await InvokeAsync(router, "audit:count", "[\"a\",\"b\"]")));
        Assert.Equal("wallet", router.DefaultContract.Name);
    }

    [Fact]
    public async Task Hooks_run_before_and_after_with_the_result()
    {
        var wallet = new WalletContract();
        var response = await InvokeAsync(new ContractRouter(wallet), "add", "1", "1");
        Assert.Equal(200, response.Status);
        Assert.Equal(["before add", "add", "after 2"], wallet.Calls);
    }

    [Fact]
    public async Task A_before_hook_that_throws_stops_the_function()
    {
        var wallet = new WalletContract();
        var response = await InvokeAsync(new ContractRouter(wallet), "forbidden");
        Assert.Equal(403, response.Status);
        Assert.Equal("not allowed", response.Message);
        Assert.Equal(["before forbidden"], wallet.Calls);
    }

    [Fact]
    public async Task An_exception_becomes_status_500_with_its_message()
    {
        var response = await InvokeAsync(new ContractRouter(new WalletContract()), "boom");
        Assert.Equal(500, response.Status);
        Assert.Equal("the ledger is on fire", response.Message);
        Assert.Empty(response.Payload);
    }

    [Fact]
    public async Task A_ChaincodeException_keeps_its_status_message_and_payload()
    {
        var response = await InvokeAsync(new ContractRouter(new WalletContract()), "refuse");
        Assert.Equal(409, response.Status);
        Assert.Equal("insufficient balance", response.Message);
        Assert.Equal("{\"code\":\"BALANCE\"}", Text(response));
    }

    [Fact]
    public async Task An_unknown_function_fails_with_404_by_default_and_reaches_a_custom_unknown_hook()
    {
        var audit = new AuditContract();
        var router = new ContractRouter(new WalletContract(), audit);

        var missing = await InvokeAsync(router, "nosuch");
        Assert.Equal(404, missing.Status);
        Assert.Contains("nosuch", missing.Message);

        var handled = await InvokeAsync(router, "audit:nosuch");
        Assert.Equal(200, handled.Status);
        Assert.Equal("audit:nosuch", audit.UnknownSeen);
    }

    [Fact]
    public async Task An_unknown_contract_is_reported_by_name()
    {
        var response = await InvokeAsync(new ContractRouter(new WalletContract()), "payroll:add", "1", "2");
        Assert.Equal(404, response.Status);
        Assert.Equal("Contract name is not known: payroll", response.Message);
    }

    [Fact]
    public async Task Wrong_argument_counts_and_types_are_client_errors()
    {
        var router = new ContractRouter(new WalletContract());
        var tooFew = await InvokeAsync(router, "add", "1");
        Assert.Equal(400, tooFew.Status);
        Assert.Contains("expects 2 argument(s) (a, b) but received 1", tooFew.Message);

        var notNumber = await InvokeAsync(router, "add", "one", "2");
        Assert.Equal(400, notNumber.Status);
        Assert.Contains("'a'", notNumber.Message);
    }

    [Fact]
    public async Task Typed_parameters_and_results_travel_as_JSON_and_bytes_raw()
    {
        var router = new ContractRouter(new WalletContract());
        var echoed = await InvokeAsync(router, "Echo", """{"id":"v1","amountMinor":250,"currency":"KES"}""");
        Assert.Equal("""{"id":"v1","amountMinor":250,"currency":"KES"}""", Text(echoed));

        var input = new Protos.ChaincodeInput();
        input.Args.Add(Google.Protobuf.ByteString.CopyFromUtf8("bytes"));
        input.Args.Add(Google.Protobuf.ByteString.CopyFrom(1, 2, 255));
        var raw = await router.InvokeAsync(new ChaincodeStub(new RecordingPeer(), "mychannel", "tx", input, TestProposals.Simple()));
        Assert.Equal(new byte[] { 255, 2, 1 }, raw.Payload);
        Assert.Empty((await InvokeAsync(router, "Nothing")).Payload);
    }

    [Fact]
    public async Task The_context_carries_the_creator_identity_and_its_Fabric_CA_attributes()
    {
        var certificate = TestProposals.Certificate(attributesJson: """{"attrs":{"role":"auditor"}}""");
        var proposal = TestProposals.Create(TestProposals.Creator("UNHCRMSP", certificate), [1, 2, 3]);
        var response = await new ContractRouter(new WalletContract()).InvokeAsync(RecordingPeer.Stub(new RecordingPeer(), proposal, "whoami"));
        Assert.Equal("UNHCRMSP auditor", Text(response));
    }

    [Fact]
    public async Task GetMetadata_describes_contracts_transactions_and_types()
    {
        var router = new ContractRouter(new WalletContract(), new AuditContract());
        var response = await InvokeAsync(router, "org.hyperledger.fabric:GetMetadata");
        Assert.Equal(200, response.Status);
        using var metadata = JsonDocument.Parse(response.Payload);
        var root = metadata.RootElement;
        Assert.StartsWith("https://hyperledger.github.io/fabric-chaincode-node", root.GetProperty("$schema").GetString());

        var contracts = root.GetProperty("contracts");
        Assert.Equal(["audit", "org.hyperledger.fabric", "wallet"], contracts.EnumerateObject().Select(p => p.Name).Order());
        Assert.True(contracts.GetProperty("wallet").GetProperty("contractInstance").GetProperty("default").GetBoolean());

        var add = contracts.GetProperty("wallet").GetProperty("transactions").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "add");
        Assert.Equal(["SUBMIT", "submitTx"], add.GetProperty("tag").EnumerateArray().Select(t => t.GetString()));
        var parameters = add.GetProperty("parameters").EnumerateArray().ToList();
        Assert.Equal(["a", "b"], parameters.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal("int32", parameters[0].GetProperty("schema").GetProperty("format").GetString());
        Assert.Equal("int64", parameters[1].GetProperty("schema").GetProperty("format").GetString());
        Assert.Equal("integer", add.GetProperty("returns").GetProperty("type").GetString());

        var echo = contracts.GetProperty("wallet").GetProperty("transactions").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Echo");
        Assert.Equal(["EVALUATE"], echo.GetProperty("tag").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("#/components/schemas/Voucher", echo.GetProperty("returns").GetProperty("$ref").GetString());

        var voucher = root.GetProperty("components").GetProperty("schemas").GetProperty("Voucher");
        Assert.Equal(["amountMinor", "currency", "id"], voucher.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
        var count = contracts.GetProperty("audit").GetProperty("transactions").EnumerateArray().Single();
        Assert.Equal("array", count.GetProperty("parameters")[0].GetProperty("schema").GetProperty("type").GetString());
    }

    [Fact]
    public void Misdeclared_contracts_are_rejected_at_start()
    {
        Assert.Throws<ArgumentException>(() => new ContractRouter(new NoContextContract()));
        Assert.Throws<ArgumentException>(() => new ContractRouter(new WalletContract(), new WalletContract()));
        Assert.Throws<ArgumentException>(() => new ContractRouter());
    }

    [Contract("broken")]
    public sealed class NoContextContract : Contract
    {
        [Transaction]
        public string Missing(string x) => x;
    }
}
