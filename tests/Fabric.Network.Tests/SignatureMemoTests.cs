using Fabric.Network.Membership;
using Fabric.Network.Tests.Support;

namespace Fabric.Network.Tests;

public class SignatureMemoTests
{
    private static TestChannel Channel => TestChannel.Instance;

    private static readonly byte[] Message = "a proposal's bytes"u8.ToArray();

    private static (ValidatedIdentity Signer, byte[] Signature) Signed(Crypto.NodeCredentials who, byte[] message)
    {
        using var signer = who.CreateSigner();
        return (Channel.Membership.Validate(who.Identity.ToSerializedIdentity()), signer.Sign(message));
    }

    [Fact]
    public void A_signature_checked_again_takes_the_first_answer()
    {
        var memo = new SignatureMemo();
        var (signer, signature) = Signed(Channel.Wfp.User1!, Message);

        Assert.True(memo.Verify(signer, Message, signature));
        Assert.True(memo.Verify(signer, Message, signature));

        Assert.Equal(1, memo.ReusedChecks);
    }

    [Fact]
    public void A_forgery_of_a_remembered_signature_is_checked_and_refused()
    {
        var memo = new SignatureMemo();
        var (wfp, signature) = Signed(Channel.Wfp.User1!, Message);
        Assert.True(memo.Verify(wfp, Message, signature));

        var (unhcr, _) = Signed(Channel.Unhcr.User1!, Message);
        Assert.False(memo.Verify(unhcr, Message, signature)); // the same signature claimed by another member
        Assert.False(memo.Verify(wfp, [.. Message, 0], signature)); // the signature over another message
        var tampered = (byte[])signature.Clone();
        tampered[^1] ^= 1;
        Assert.False(memo.Verify(wfp, Message, tampered));

        Assert.Equal(0, memo.ReusedChecks);
        Assert.False(memo.Verify(unhcr, Message, signature)); // a refusal is remembered as a refusal
        Assert.Equal(1, memo.ReusedChecks);
    }

    [Fact]
    public async Task Checks_of_one_signature_at_the_same_moment_compute_it_once()
    {
        var memo = new SignatureMemo();
        var (signer, signature) = Signed(Channel.UnWomen.User1!, Message);
        const int checks = 8;
        using var start = new Barrier(checks);

        var answers = Enumerable.Range(0, checks)
            .Select(_ => Task.Factory.StartNew(() => { start.SignalAndWait(); return memo.Verify(signer, Message, signature); }, TaskCreationOptions.LongRunning))
            .ToArray();

        Assert.All(await Task.WhenAll(answers), Assert.True);
        Assert.Equal(checks - 1, memo.ReusedChecks);
    }

    [Fact]
    public void The_memo_keeps_two_generations_and_forgets_older_signatures()
    {
        var memo = new SignatureMemo(generationSize: 4);
        var user = Channel.Wfp.User1!;
        var signed = Enumerable.Range(0, 12).Select(i => (Message: new[] { (byte)i }, Signed(user, [(byte)i]))).ToList();
        foreach (var (message, (signer, signature)) in signed) Assert.True(memo.Verify(signer, message, signature));
        Assert.Equal(0, memo.ReusedChecks);

        var (lastMessage, (lastSigner, lastSignature)) = signed[^1];
        Assert.True(memo.Verify(lastSigner, lastMessage, lastSignature));
        Assert.Equal(1, memo.ReusedChecks);

        var (firstMessage, (firstSigner, firstSignature)) = signed[0];
        Assert.True(memo.Verify(firstSigner, firstMessage, firstSignature)); // dropped with its generation: computed again
        Assert.Equal(1, memo.ReusedChecks);
    }

    [Fact]
    public void The_channel_members_checks_share_one_memo()
    {
        var roots = Channel.Crypto.PeerOrganizations.ToDictionary(o => o.MspId, o => o.CaCertificate);
        var membership = new MembershipService(roots);
        var (signer, signature) = Signed(Channel.Wfp.User1!, Message);

        Assert.True(membership.Verify(signer, Message, signature)); // as an endorser
        Assert.True(membership.Verify(signer, Message, signature)); // as the other endorser

        Assert.Equal(1, membership.ReusedSignatureChecks);
    }
}
