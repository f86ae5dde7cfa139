using System.Runtime.InteropServices;
using Fabric.Client;
using Fabric.Client.Configuration;
using Polly;
using Polly.Retry;
using Protos;

namespace Fabric.Network.LiveTests;

/// <summary>
/// With two agencies and a majority policy both peers endorse every transaction. A peer that has not yet committed
/// the block the other peer already has endorses on older state, and Fabric's gateway gives up with ABORTED "failed
/// to collect enough transaction endorsements" (issue 13 item 10). The test makes that happen on purpose: it holds the
/// second agency's peer still (SIGSTOP) while a commit lands on the first, lets it go (SIGCONT) and at once endorses
/// an increment of the key that commit wrote, through a client with Fabric.Client's transient retry. The retry must
/// endorse again and every increment must commit.
/// </summary>
public sealed class EndorsementMismatchTests
{
    private const int MaxRounds = 10;

    [LiveTwoAgenciesFact]
    public async Task A_peer_one_block_behind_gives_an_endorsement_mismatch_that_Fabric_Client_endorses_again()
    {
        var (first, second) = (LiveNetwork.Agencies[0], LiveNetwork.Agencies[1]);
        long mismatches = 0;
        var options = new GatewayOptions
        {
            Resilience = new GatewayResilienceOptions
            {
                IdempotentCalls = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<Exception>(GatewayResilience.IsTransient),
                    MaxRetryAttempts = 5,
                    BackoffType = DelayBackoffType.Exponential,
                    Delay = TimeSpan.FromMilliseconds(200),
                    OnRetry = retry =>
                    {
                        if (retry.Outcome.Exception is { } e && GatewayResilience.IsEndorsementMismatch(e)) Interlocked.Increment(ref mismatches);
                        return ValueTask.CompletedTask;
                    },
                }).Build(),
            },
        };
        using var connection = GatewayConnection.Open(GatewaySettings.Load(Path.Combine(LiveNetwork.ClientsFolder, first + ".json")), options);
        var contract = connection.Contract("probe");
        var counter = $"mismatch-{Guid.NewGuid():N}";
        var secondPeer = PeerProcess.Of(second);

        var increments = 0;
        for (var round = 0; round < MaxRounds && Interlocked.Read(ref mismatches) == 0; round++)
        {
            var endorsed = await contract.NewProposal("increment", new ProposalOptions().AddArguments(counter)).EndorseAsync();
            using (secondPeer.Pause())
            {
                var submitted = await endorsed.SubmitAsync();
                Assert.Equal(TxValidationCode.Valid, (await submitted.GetStatusAsync()).Code);
            }
            increments++;
            // At once: the second peer is about to commit the block the first peer committed while it was held.
            var next = await contract.NewProposal("increment", new ProposalOptions().AddArguments(counter)).EndorseAsync();
            Assert.Equal(TxValidationCode.Valid, (await (await next.SubmitAsync()).GetStatusAsync()).Code);
            increments++;
        }

        Assert.True(Interlocked.Read(ref mismatches) > 0, $"no endorsement mismatch in {MaxRounds} rounds: the second peer never endorsed behind the first");
        Assert.Equal(increments.ToString(), Contract.AsString(await contract.EvaluateTransactionAsync("get", counter)));
    }

    /// <summary>
    /// An agency's peer process as the network scripts recorded it (<c>run/&lt;peer&gt;.pid</c> beside the clients
    /// folder), signalled only while <c>/proc/&lt;pid&gt;/cmdline</c> still shows the command recorded in <c>.cmd</c>.
    /// </summary>
    private sealed class PeerProcess(int pid)
    {
        private const int SigCont = 18;
        private const int SigStop = 19;

        public static PeerProcess Of(string agency)
        {
            var run = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(LiveNetwork.ClientsFolder).TrimEnd('/'))!, "run");
            var name = $"peer0.{agency.ToLowerInvariant()}.cashtransfer.local";
            var pid = int.Parse(File.ReadAllText(Path.Combine(run, name + ".pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var recorded = File.ReadAllText(Path.Combine(run, name + ".cmd")).Trim();
            var running = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0')[0];
            Assert.Equal(recorded, running);
            return new PeerProcess(pid);
        }

        /// <summary>Stops the process until the returned handle is disposed.</summary>
        public IDisposable Pause()
        {
            Signal(SigStop);
            return new Resume(this);
        }

        private void Signal(int signal)
        {
            if (kill(pid, signal) != 0) throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        private sealed class Resume(PeerProcess process) : IDisposable
        {
            public void Dispose() => process.Signal(SigCont);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);
    }
}

/// <summary>A live fact that needs a network of exactly two agencies (FABRIC_AGENCIES=2), where no peer can be left out of an endorsement.</summary>
public sealed class LiveTwoAgenciesFactAttribute : FactAttribute
{
    public LiveTwoAgenciesFactAttribute()
    {
        if (LiveNetwork.SkipReason is { } reason) Skip = reason;
        else if (LiveNetwork.Agencies.Count != 2)
            Skip = $"needs a network of two agencies (FABRIC_AGENCIES=2), where both peers must endorse; this one has {LiveNetwork.Agencies.Count}";
    }
}
