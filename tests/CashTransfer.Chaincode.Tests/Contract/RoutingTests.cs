using System.Text;
using System.Text.Json;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using CashTransfer.Contracts;
using Fabric.Shim.Contracts;
using Fabric.Shim.Testing;

namespace CashTransfer.Chaincode.Tests.Contract;

/// <summary>The contracts as the peer reaches them: function names and JSON/text arguments through the shim's router.</summary>
public class RoutingTests
{
    private readonly Ledger _l = new();
    private readonly ContractRouter _router = new(CashTransferContracts.All());

    private async Task<(int Status, string Payload, string Message)> Call(TestIdentity caller, string function, params string[] args)
    {
        var stub = _l.World.NewTransaction(caller, new TransactionOptions { Function = function, Parameters = args });
        var response = await _router.InvokeAsync(stub);
        if (response.IsSuccess) Assert.True(_l.World.Commit(stub).IsValid);
        return (response.Status, Encoding.UTF8.GetString(response.Payload), response.Message);
    }

    [Fact]
    public async Task Functions_take_JSON_and_text_arguments_and_return_camelCase_JSON()
    {
        var created = await Call(_l.WfpOperator, "Retail:RegisterRetailer", """{"retailerId":"RT-1","categories":["food"]}""");
        Assert.Equal(200, created.Status);
        var programme = """
            {"programmeId":"P1","budget":{"minor":5000,"currency":"USD"},"validFrom":"2026-03-01T00:00:00Z",
             "validUntil":"2026-04-01T00:00:00Z","priority":1,"restriction":{"kind":"Voucher","categories":["food"]},"allowedRetailers":["RT-1"]}
            """;
        var result = await Call(_l.WfpOperator, "Programme:CreateProgramme", programme);
        Assert.Equal(200, result.Status);
        Assert.Equal("WFPMSP", JsonDocument.Parse(result.Payload).RootElement.GetProperty("ownerMsp").GetString());

        var batch = $$"""{"programmeId":"P1","cycle":"C1","grants":[{"beneficiaryHash":"{{Ledger.Beneficiary(1)}}","amountMinor":700}]}""";
        Assert.Equal(200, (await Call(_l.WfpOperator, "Entitlement:IssueEntitlements", batch)).Status);
        var topUp = await Call(_l.WfpOperator, "Entitlement:TopUpEntitlement", "P1", "C1", Ledger.Beneficiary(1), "300");
        Assert.Equal(1000, JsonDocument.Parse(topUp.Payload).RootElement.GetProperty("balance").GetInt64());

        var page = await Call(_l.Auditor, "GetProgrammeEntitlements", "P1", "C1", "10", "");
        Assert.Equal(200, page.Status);
        Assert.Single(JsonDocument.Parse(page.Payload).RootElement.GetProperty("items").EnumerateArray());
        var history = await Call(_l.Auditor, "Query:GetHistory", "Programme", """["P1"]""", "10", "");
        Assert.Equal(200, history.Status);
    }

    [Fact]
    public async Task Refusals_keep_their_status_and_message()
    {
        var refused = await Call(_l.Auditor, "Programme:CreateProgramme", "{}");
        Assert.Equal(403, refused.Status);
        Assert.Contains("operator role", refused.Message);
        var badHash = await Call(_l.Gateway, "Query:GetBeneficiaryEntitlements", "Jane Doe", "10", "");
        Assert.Equal(400, badHash.Status);
    }

    [Theory]
    [InlineData("Programme:CreateProgramme")]
    [InlineData("Entitlement:IssueEntitlements")]
    [InlineData("Retail:RegisterRetailer")]
    [InlineData("Retail:RegisterTerminal")]
    [InlineData("Settlement:Settle")]
    public async Task A_missing_record_argument_is_a_clear_400(string function)
    {
        var refused = await Call(_l.WfpOperator, function, "null");
        Assert.Equal(400, refused.Status);
        Assert.Contains("required", refused.Message);
    }

    [Fact]
    public void Stored_records_use_the_contract_JSON()
    {
        var json = Encoding.UTF8.GetString(LedgerJson.Serialize(new Money(5, "USD")));
        Assert.Equal("""{"minor":5,"currency":"USD"}""", json);
    }
}
