using System.Text;
using System.Text.Json;
using Fabric.Client;
using Protos;

namespace Fabric.Network.LiveTests;

/// <summary>
/// Our Fabric.Client against the real network's probe chaincodes (the Node contract, and the same contract on
/// our .NET shim): the Gateway flows, commit status, chaincode events and MVCC validation, as Fabric 2.5 does them.
/// </summary>
public sealed class ProbeChaincodeTests
{

    private static string NewKey(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [LiveTheory]
    [InlineData("probe")]
    [InlineData("probe-dotnet")]
    public async Task A_submitted_value_is_read_back_through_every_agency_gateway(string probe)
    {
        var key = NewKey("dotnet-put");
        using (var first = LiveNetwork.Connect(LiveNetwork.Agencies[0]))
        {
            var result = await first.Contract(probe).SubmitTransactionAsync("put", key, "from-dotnet");
            Assert.Equal("from-dotnet", Contract.AsString(result));
        }
        foreach (var agency in LiveNetwork.Agencies)
        {
            using var connection = LiveNetwork.Connect(agency);
            var value = await Eventually.Get(
                async () => Contract.AsString(await connection.Contract(probe).EvaluateTransactionAsync("get", key)),
                v => v == "from-dotnet");
            Assert.Equal("from-dotnet", value);
        }
    }

    [LiveTheory]
    [InlineData("probe")]
    [InlineData("probe-dotnet")]
    public async Task Endorse_submit_and_commit_status_report_a_valid_transaction_in_a_block(string probe)
    {
        using var connection = LiveNetwork.Connect(LiveNetwork.Agencies[^1]);
        var proposal = connection.Contract(probe).NewProposal("put", new ProposalOptions().AddArguments(NewKey("dotnet-flow"), "v"));
        var transaction = await proposal.EndorseAsync();
        Assert.Equal("v", Contract.AsString(transaction.Result));
        var submitted = await transaction.SubmitAsync();
        var status = await submitted.GetStatusAsync();
        Assert.Equal(proposal.TransactionId, status.TransactionId);
        Assert.Equal(TxValidationCode.Valid, status.Code);
        Assert.True(status.BlockNumber > 0);
    }

    [LiveTheory]
    [InlineData("probe")]
    [InlineData("probe-dotnet")]
    public async Task The_ledger_records_endorsements_from_a_majority_of_agencies(string probe)
    {
        using var connection = LiveNetwork.Connect(LiveNetwork.Agencies[0]);
        var submitted = await connection.Contract(probe).SubmitAsync("put", new ProposalOptions().AddArguments(NewKey("dotnet-majority"), "v"));
        Assert.Equal(TxValidationCode.Valid, (await submitted.GetStatusAsync()).Code);

        var recorded = await RecordedTransaction.ReadAsync(connection, submitted.TransactionId);
        Assert.Equal(TxValidationCode.Valid, recorded.Validation);
        var majority = LiveNetwork.Agencies.Count / 2 + 1;
        Assert.True(recorded.EndorserMspIds.Distinct().Count() >= majority,
            $"endorsed by {string.Join(", ", recorded.EndorserMspIds)}; a majority of {LiveNetwork.Agencies.Count} is {majority}");
    }

    [LiveTheory]
    [InlineData("probe")]
    [InlineData("probe-dotnet")]
    public async Task A_chaincode_event_arrives_with_the_block_and_payload_of_its_transaction(string probe)
    {
        using var connection = LiveNetwork.Connect(LiveNetwork.Agencies[0]);
        var key = NewKey("dotnet-event");
        var submitted = await connection.Contract(probe).SubmitAsync("put", new ProposalOptions().AddArguments(key, "evented"));
        var status = await submitted.GetStatusAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var network = connection.Gateway.GetNetwork(connection.Settings.Channel!);
        await foreach (var e in network.GetChaincodeEventsAsync(probe, new() { StartBlock = status.BlockNumber }, timeout.Token))
        {
            if (e.TransactionId != submitted.TransactionId) continue;
            Assert.Equal("put", e.EventName);
            Assert.Equal(status.BlockNumber, e.BlockNumber);
            using var payload = JsonDocument.Parse(e.Payload);
            Assert.Equal(key, payload.RootElement.GetProperty("key").GetString());
            Assert.Equal("evented", payload.RootElement.GetProperty("value").GetString());
            return;
        }
        Assert.Fail("the event stream ended without the transaction's event");
    }

    [LiveTheory]
    [InlineData("probe")]
    [InlineData("probe-dotnet")]
    public async Task Two_increments_endorsed_on_the_same_state_end_valid_and_mvcc_read_conflict(string probe)
    {
        using var connection = LiveNetwork.Connect(LiveNetwork.Agencies[0]);
        var contract = connection.Contract(probe);
        var counter = NewKey("dotnet-counter");
        var first = await contract.NewProposal("increment", new ProposalOptions().AddArguments(counter)).EndorseAsync();
        var second = await contract.NewProposal("increment", new ProposalOptions().AddArguments(counter)).EndorseAsync();
        // The gateway may send two submissions to different orderers of the Raft cluster, which can order them either
        // way; the second is submitted once the first has committed, so which one wins is known.
        var submittedFirst = await first.SubmitAsync();
        Assert.Equal(TxValidationCode.Valid, (await submittedFirst.GetStatusAsync()).Code);
        var submittedSecond = await second.SubmitAsync();

        Assert.Equal(TxValidationCode.MvccReadConflict, (await submittedSecond.GetStatusAsync()).Code);
        Assert.Equal("1", Contract.AsString(await contract.EvaluateTransactionAsync("get", counter)));
    }

    [LiveTheory]
    [InlineData("probe")]
    [InlineData("probe-dotnet")]
    public async Task An_unknown_function_fails_endorsement_with_the_peer_message_and_writes_nothing(string probe)
    {
        using var connection = LiveNetwork.Connect(LiveNetwork.Agencies[0]);
        var contract = connection.Contract(probe);
        var key = NewKey("dotnet-unknown");
        var error = await Assert.ThrowsAsync<EndorseException>(() => contract.SubmitTransactionAsync("nope", key));
        Assert.False(string.IsNullOrEmpty(error.TransactionId));
        Assert.Contains(error.Details, d => d.Message.Contains("nope", StringComparison.Ordinal));
        var missing = await Assert.ThrowsAnyAsync<GatewayException>(() => contract.EvaluateTransactionAsync("get", key));
        Assert.Contains("no value for key", missing.Message + string.Join(" ", missing.Details.Select(d => d.Message)), StringComparison.Ordinal);
    }
}
