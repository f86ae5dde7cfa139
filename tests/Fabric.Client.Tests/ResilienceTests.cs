using Grpc.Core;
using Fabric.Grpc;
using Gateway;
using Protos;

namespace Fabric.Client.Tests;

/// <summary>Retry of transient failures, re-endorsement on read conflicts, and the unknown-submit-outcome check, over a real gRPC server.</summary>
[Collection(SerialCollection.Name)]
public class ResilienceTests
{
    private static GatewayOptions Resilient(int maxConflictAttempts = 3) => new()
    {
        Resilience = new GatewayResilienceOptions
        {
            IdempotentCalls = GatewayResilience.TransientRetry(maxRetryAttempts: 4, baseDelay: TimeSpan.FromMilliseconds(5), maxDelay: TimeSpan.FromMilliseconds(20)),
            MaxConflictAttempts = maxConflictAttempts,
            UnknownOutcomeStatusTimeout = TimeSpan.FromMilliseconds(300),
        },
    };

    private static Task<T> Recorded<T>(Google.Protobuf.MessageParser<T> parser, string file) where T : Google.Protobuf.IMessage<T> =>
        Task.FromResult(Vectors.Parse(parser, file));

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.ResourceExhausted)]
    public async Task Evaluate_is_retried_on_transient_codes_until_it_succeeds(StatusCode transient)
    {
        var failures = 3;
        await using var server = await ScriptedGatewayServer.StartAsync(new()
        {
            Evaluate = (_, _) => Interlocked.Decrement(ref failures) >= 0
                ? throw RpcErrors.Create(transient, "peer busy")
                : Recorded(EvaluateResponse.Parser, "15-get/01-evaluate-response.bin"),
        });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner(), Resilient());

        var result = await gateway.GetNetwork("mychannel").GetContract("kvcc").EvaluateTransactionAsync("get", "asset2");

        Assert.Equal("v2", Contract.AsString(result));
        Assert.Equal(4, server.Calls.Count);
        // Every attempt sent the same signed proposal (same txid, same signature).
        Assert.Single(server.Calls.Select(c => Convert.ToHexString(c.Request)).Distinct());
    }

    [Fact]
    public async Task An_endorsement_mismatch_between_two_peers_is_endorsed_again_until_they_agree()
    {
        var mismatches = 2;
        await using var server = await ScriptedGatewayServer.StartAsync(new()
        {
            // What Fabric 2.5's gateway answers when two agencies' peers endorse against different committed blocks.
            Endorse = (_, _) => Interlocked.Decrement(ref mismatches) >= 0
                ? throw new RpcException(new Status(StatusCode.Aborted, "failed to collect enough transaction endorsements, see attached details for more info"))
                : Recorded(EndorseResponse.Parser, "01-put-v1/01-endorse-response.bin"),
            Submit = (_, _) => Task.FromResult(new SubmitResponse()),
            CommitStatus = (_, _) => Recorded(CommitStatusResponse.Parser, "01-put-v1/03-commitstatus-response.bin"),
        });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner(), Resilient());

        await gateway.GetNetwork("mychannel").GetContract("kvcc").SubmitTransactionAsync("put", "asset1", "v1");

        Assert.Equal(["Endorse", "Endorse", "Endorse", "Submit", "CommitStatus"], server.MethodNames);
        Assert.True(GatewayResilience.IsTransient(new RpcException(new Status(StatusCode.Aborted, GatewayResilience.EndorsementMismatchMessage))));
        Assert.False(GatewayResilience.IsTransient(new RpcException(new Status(StatusCode.Aborted, "failed to endorse transaction, see attached details for more info"))));
    }

    [Theory]
    [InlineData("error in simulation: failed to execute transaction 9f3c: could not connect to chaincode cashtransfer at 127.0.0.1:9999: connection refused", true)]
    [InlineData("error in simulation: failed to execute transaction 9f3c: timeout expired while executing transaction", true)]
    [InlineData("error in simulation: transaction returned with failure: the contract threw", false)]
    [InlineData("make sure the chaincode cashtransfer has been successfully defined on channel mychannel and try again", false)]
    public void An_endorsement_the_chaincode_never_ran_is_transient_and_a_contract_failure_is_not(string peerDetail, bool transient)
    {
        var details = new Google.Rpc.Status();
        details.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(new global::Gateway.ErrorDetail { Address = "peer0:7051", MspId = "Org1MSP", Message = peerDetail }));
        var error = RpcErrors.Create(StatusCode.Aborted, "failed to endorse transaction, see attached details for more info", details);
        Assert.Equal(transient, GatewayResilience.IsChaincodeUnreachable(error));
        Assert.Equal(transient, GatewayResilience.IsTransient(new GatewayException(error)));
    }

    [Theory]
    [InlineData(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size.", true)] // grpc-dotnet
    [InlineData(StatusCode.ResourceExhausted, "Sending message exceeds the maximum configured message size.", true)]
    [InlineData(StatusCode.ResourceExhausted, "grpc: received message larger than max (5242880 vs. 4194304)", true)] // grpc-go, a Fabric node
    [InlineData(StatusCode.ResourceExhausted, "trying to send message larger than max (5242880 vs. 4194304)", true)]
    [InlineData(StatusCode.Aborted, "received unsuccessful response from orderer: status=BAD_REQUEST, info=message payload is 11534336 bytes and exceeds maximum allowed 10485760 bytes", true)]
    [InlineData(StatusCode.ResourceExhausted, "peer busy", false)]
    public void A_message_over_a_size_limit_is_too_large_and_not_transient(StatusCode code, string message, bool tooLarge)
    {
        var error = RpcErrors.Create(code, message);
        Assert.Equal(tooLarge, GatewayResilience.IsTooLarge(error));
        Assert.Equal(tooLarge, GatewayResilience.IsTooLarge(new GatewayException(error)));
        Assert.Equal(!tooLarge && code == StatusCode.ResourceExhausted, GatewayResilience.IsTransient(new GatewayException(error)));
    }

    [Fact]
    public async Task An_answer_over_the_clients_message_limit_is_not_retried()
    {
        await using var server = await ScriptedGatewayServer.StartAsync(new()
        {
            Evaluate = (_, _) => Task.FromResult(new EvaluateResponse { Result = new Response { Status = 200, Payload = Google.Protobuf.ByteString.CopyFrom(new byte[64 * 1024]) } }),
        });
        using var small = Fabric.Grpc.Client.FabricChannel.Create(server.Address, new Fabric.Grpc.Client.FabricChannelOptions { MaxReceiveMessageSize = 16 * 1024 });
        var gateway = Gateway.Connect(small, Vectors.UserIdentity(), Vectors.UserSigner(), Resilient());

        var e = await Assert.ThrowsAsync<GatewayException>(() => gateway.GetNetwork("mychannel").GetContract("kvcc").EvaluateTransactionAsync("get", "x"));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.True(GatewayResilience.IsTooLarge(e), e.Message);
        Assert.Single(server.Calls); // the same answer would be as large again
    }

    [Fact]
    public async Task Retries_stop_after_the_configured_attempts_and_the_last_error_surfaces()
    {
        await using var server = await ScriptedGatewayServer.StartAsync(new() { Evaluate = (_, _) => throw RpcErrors.Create(StatusCode.Unavailable, "down") });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner(), Resilient());

        var e = await Assert.ThrowsAsync<GatewayException>(() => gateway.GetNetwork("mychannel").GetContract("kvcc").EvaluateTransactionAsync("get", "x"));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal(5, server.Calls.Count); // 1 + 4 retries
    }

    [Fact]
    public async Task Non_transient_failures_are_not_retried()
    {
        var recorded = RecordedErrorTests.Load("13-fail", "endorse");
        await using var server = await ScriptedGatewayServer.StartAsync(new() { Endorse = (_, _) => throw recorded.ToRpcException() });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner(), Resilient());

        await Assert.ThrowsAsync<EndorseException>(() => gateway.GetNetwork("mychannel").GetContract("kvcc").SubmitTransactionAsync("fail", "asset2"));
        Assert.Equal(["Endorse"], server.MethodNames);
    }

    [Fact]
    public async Task Without_resilience_a_transient_failure_reaches_the_caller_at_once()
    {
        await using var server = await ScriptedGatewayServer.StartAsync(new() { Evaluate = (_, _) => throw RpcErrors.Create(StatusCode.Unavailable, "down") });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner());

        await Assert.ThrowsAsync<GatewayException>(() => gateway.GetNetwork("mychannel").GetContract("kvcc").EvaluateTransactionAsync("get", "x"));
        Assert.Single(server.Calls);
    }

    [Fact]
    public async Task Mvcc_conflict_re_endorses_a_fresh_proposal_with_a_new_transaction_id()
    {
        var commits = 0;
        await using var server = await ScriptedGatewayServer.StartAsync(new()
        {
            Endorse = (_, _) => Recorded(EndorseResponse.Parser, "18-mvcc-b/01-endorse-response.bin"),
            Submit = (_, _) => Task.FromResult(new SubmitResponse()),
            CommitStatus = (_, _) => Task.FromResult(Interlocked.Increment(ref commits) == 1
                ? new CommitStatusResponse { Result = TxValidationCode.MvccReadConflict, BlockNumber = 31 }
                : new CommitStatusResponse { Result = TxValidationCode.Valid, BlockNumber = 32 }),
        });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner(), Resilient());

        await gateway.GetNetwork("mychannel").GetContract("kvcc").SubmitTransactionAsync("incr", "counter");

        Assert.Equal(["Endorse", "Submit", "CommitStatus", "Endorse", "Submit", "CommitStatus"], server.MethodNames);
        var endorsements = server.Calls.Where(c => c.Method == "Endorse").Select(c => EndorseRequest.Parser.ParseFrom(c.Request)).ToArray();
        Assert.NotEqual(endorsements[0].TransactionId, endorsements[1].TransactionId);
        var statusTxids = server.Calls.Where(c => c.Method == "CommitStatus")
            .Select(c => CommitStatusRequest.Parser.ParseFrom(SignedCommitStatusRequest.Parser.ParseFrom(c.Request).Request).TransactionId);
        Assert.Equal(endorsements.Select(e => e.TransactionId), statusTxids);
    }

    [Fact]
    public async Task Mvcc_conflict_beyond_the_attempts_throws_commit_exception()
    {
        await using var server = await ScriptedGatewayServer.StartAsync(new()
        {
            Endorse = (_, _) => Recorded(EndorseResponse.Parser, "17-mvcc-a/01-endorse-response.bin"),
            Submit = (_, _) => Task.FromResult(new SubmitResponse()),
            CommitStatus = (_, _) => Recorded(CommitStatusResponse.Parser, "17-mvcc-a/03-commitstatus-response.bin"),
        });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner(), Resilient(maxConflictAttempts: 2));

        var e = await Assert.ThrowsAsync<CommitException>(() => gateway.GetNetwork("mychannel").GetContract("kvcc").SubmitTransactionAsync("incr", "counter"));
        Assert.Equal(TxValidationCode.MvccReadConflict, e.Code);
        Assert.Equal(2, server.MethodNames.Count(m => m == "Endorse"));
    }

    [Fact]
    public async Task Unknown_submit_outcome_checks_the_commit_status_before_sending_anything_new()
    {
        await using var server = await ScriptedGatewayServer.StartAsync(new()
        {
            Endorse = (_, _) => Recorded(EndorseResponse.Parser, "01-put-v1/01-endorse-response.bin"),
            // The orderer got it, but the answer was lost.
            Submit = (_, _) => throw RpcErrors.Create(StatusCode.Unavailable, "connection reset"),
            CommitStatus = (_, _) => Recorded(CommitStatusResponse.Parser, "01-put-v1/03-commitstatus-response.bin"),
        });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner(), Resilient());

        var submitted = await gateway.GetNetwork("mychannel").GetContract("kvcc").SubmitAsync("put", new ProposalOptions().AddArguments("asset1", "v1"));
        var status = await submitted.GetStatusAsync();

        Assert.Equal(["Endorse", "Submit", "CommitStatus"], server.MethodNames);
        Assert.Equal((TxValidationCode.Valid, 23ul), (status.Code, status.BlockNumber));
    }

    [Fact]
    public async Task Unknown_submit_outcome_resends_the_same_envelope_when_the_transaction_is_not_committed()
    {
        var submits = 0;
        var statusCalls = 0;
        await using var server = await ScriptedGatewayServer.StartAsync(new()
        {
            Endorse = (_, _) => Recorded(EndorseResponse.Parser, "01-put-v1/01-endorse-response.bin"),
            Submit = (_, _) => Interlocked.Increment(ref submits) == 1
                ? throw RpcErrors.Create(StatusCode.DeadlineExceeded, "orderer slow")
                : Task.FromResult(new SubmitResponse()),
            // First check: not in a block within the check's deadline. Later: committed.
            CommitStatus = async (_, context) =>
            {
                if (Interlocked.Increment(ref statusCalls) == 1)
                {
                    await Task.Delay(Timeout.Infinite, context.CancellationToken);
                }
                return Vectors.Parse(CommitStatusResponse.Parser, "01-put-v1/03-commitstatus-response.bin");
            },
        });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner(), Resilient());

        var submitted = await gateway.GetNetwork("mychannel").GetContract("kvcc").SubmitAsync("put", new ProposalOptions().AddArguments("asset1", "v1"));
        var status = await submitted.GetStatusAsync();

        Assert.Equal(["Endorse", "Submit", "CommitStatus", "Submit", "CommitStatus"], server.MethodNames);
        var sent = server.Calls.Where(c => c.Method == "Submit").Select(c => Convert.ToHexString(c.Request)).ToArray();
        Assert.Equal(sent[0], sent[1]); // the same signed envelope, never a new transaction
        Assert.True(status.Successful);
    }

    [Fact]
    public async Task Offline_signed_transaction_is_resent_unchanged_when_its_status_request_is_not_signed_yet()
    {
        var submits = 0;
        await using var server = await ScriptedGatewayServer.StartAsync(new()
        {
            Endorse = (_, _) => Recorded(EndorseResponse.Parser, "01-put-v1/01-endorse-response.bin"),
            Submit = (_, _) => Interlocked.Increment(ref submits) == 1
                ? throw RpcErrors.Create(StatusCode.Unavailable, "connection reset")
                : Task.FromResult(new SubmitResponse()),
        });
        var offline = Gateway.Connect(server.Channel, Vectors.UserIdentity(), signer: null, Resilient());
        var remote = Vectors.UserSigner();
        var unsigned = offline.GetNetwork("mychannel").GetContract("kvcc").NewProposal("put", new ProposalOptions().AddArguments("asset1", "v1"));
        var endorsed = await offline.NewSignedProposal(unsigned.Bytes, remote.SignDigest(unsigned.Digest)).EndorseAsync();
        var transaction = offline.NewSignedTransaction(endorsed.Bytes, remote.SignDigest(endorsed.Digest));

        var submitted = await transaction.SubmitAsync();

        Assert.Equal(["Endorse", "Submit", "Submit"], server.MethodNames);
        Assert.False(submitted.Commit.IsSigned);
    }
}
