using Fabric.Network.Crypto;
using Fabric.Network.Membership;
using Fabric.Network.Policies;
using Fabric.Network.Tests.Support;

namespace Fabric.Network.Tests;

public class PolicyTests
{
    private static TestChannel Channel => TestChannel.Instance;

    private static ValidatedIdentity Id(NodeCredentials c) => Channel.Membership.Validate(c.Identity.ToSerializedIdentity());

    private static ValidatedIdentity WfpPeer => Id(Channel.Wfp.Node);
    private static ValidatedIdentity WfpClient => Id(Channel.Wfp.User1!);
    private static ValidatedIdentity WomenPeer => Id(Channel.UnWomen.Node);
    private static ValidatedIdentity UnhcrPeer => Id(Channel.Unhcr.Node);
    private static ValidatedIdentity UnhcrAdmin => Id(Channel.Unhcr.Admin);

    private static bool Eval(string policy, params ValidatedIdentity[] signers) => Channel.Policies.Resolve(policy).IsSatisfiedBy(signers);

    [Fact]
    public void AND_needs_every_principal()
    {
        const string p = "AND('WFPMSP.peer','UNHCRMSP.peer')";
        Assert.False(Eval(p));
        Assert.False(Eval(p, WfpPeer));
        Assert.False(Eval(p, UnhcrPeer));
        Assert.True(Eval(p, WfpPeer, UnhcrPeer));
        Assert.True(Eval(p, UnhcrPeer, WomenPeer, WfpPeer));
    }

    [Fact]
    public void OR_needs_any_principal()
    {
        const string p = "OR('WFPMSP.peer','UNHCRMSP.peer')";
        Assert.False(Eval(p));
        Assert.False(Eval(p, WomenPeer));
        Assert.True(Eval(p, WfpPeer));
        Assert.True(Eval(p, WomenPeer, UnhcrPeer));
    }

    [Fact]
    public void OutOf_counts_distinct_principals()
    {
        const string p = "OutOf(2,'WFPMSP.peer','UNWomenMSP.peer','UNHCRMSP.peer')";
        Assert.False(Eval(p, WfpPeer));
        Assert.True(Eval(p, WfpPeer, UnhcrPeer));
        Assert.True(Eval(p, WomenPeer, UnhcrPeer));
        Assert.True(Eval(p, WfpPeer, WomenPeer, UnhcrPeer));
    }

    [Fact]
    public void Roles_are_checked_and_member_accepts_any_role()
    {
        Assert.False(Eval("OR('WFPMSP.peer')", WfpClient));
        Assert.True(Eval("OR('WFPMSP.client')", WfpClient));
        Assert.True(Eval("OR('WFPMSP.member')", WfpClient));
        Assert.True(Eval("OR('UNHCRMSP.admin')", UnhcrAdmin));
        Assert.False(Eval("OR('UNHCRMSP.admin')", UnhcrPeer));
    }

    [Fact]
    public void One_signature_satisfies_one_principal_only()
    {
        // Two principals of the same organisation need two different signers, as in Fabric's cauthdsl.
        Assert.False(Eval("AND('WFPMSP.member','WFPMSP.member')", WfpPeer));
        Assert.True(Eval("AND('WFPMSP.member','WFPMSP.member')", WfpPeer, WfpClient));
        Assert.True(Eval("OR(AND('WFPMSP.peer','UNHCRMSP.peer'), 'UNWomenMSP.peer')", WomenPeer));
        // Fabric's greedy evaluation: the OR tries both principals and keeps both signatures, so the
        // second WFPMSP.peer finds the WFP signature used (a real Fabric peer rejects this too).
        Assert.False(Eval("AND(OR('WFPMSP.peer','UNHCRMSP.peer'), 'WFPMSP.peer')", WfpPeer, UnhcrPeer));
        Assert.True(Eval("AND('WFPMSP.peer', OR('WFPMSP.peer','UNHCRMSP.peer'))", WfpPeer, UnhcrPeer));
    }

    [Fact]
    public void Implicit_meta_policies_over_three_agencies()
    {
        Assert.False(Eval("MAJORITY Endorsement", WfpPeer));
        Assert.True(Eval("MAJORITY Endorsement", WfpPeer, UnhcrPeer));
        Assert.False(Eval("MAJORITY Endorsement", WfpClient, UnhcrAdmin)); // Endorsement is peers only
        Assert.True(Eval("ANY Endorsement", WomenPeer));
        Assert.False(Eval("ANY Endorsement"));
        Assert.False(Eval("ALL Endorsement", WfpPeer, UnhcrPeer));
        Assert.True(Eval("ALL Endorsement", WfpPeer, UnhcrPeer, WomenPeer));
        Assert.True(Channel.Policies.Writers.IsSatisfiedBy([WfpClient]));
        Assert.False(Channel.Policies.Writers.IsSatisfiedBy([WfpPeer]));
        Assert.True(Channel.Policies.Readers.IsSatisfiedBy([WfpPeer]));
    }

    [Theory]
    [InlineData("AND('A.peer'")]
    [InlineData("XOR('A.peer')")]
    [InlineData("OR('A.boss')")]
    [InlineData("OutOf(3,'A.peer','B.peer')")]
    [InlineData("OR('nodot')")]
    public void Malformed_policies_are_refused_with_the_reason(string text)
    {
        var e = Assert.Throws<FormatException>(() => SignaturePolicyParser.Parse(text));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Parsed_policies_share_principals_and_encode_n_out_of()
    {
        var envelope = SignaturePolicyParser.Parse("OutOf(2,'A.peer','B.peer','A.peer')");
        Assert.Equal(2, envelope.Identities.Count);
        Assert.Equal(2, envelope.Rule.NOutOf.N);
        Assert.Equal(3, envelope.Rule.NOutOf.Rules.Count);
        Assert.Equal(0, envelope.Rule.NOutOf.Rules[2].SignedBy);
    }
}
