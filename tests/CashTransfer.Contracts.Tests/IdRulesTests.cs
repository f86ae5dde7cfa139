namespace CashTransfer.Contracts.Tests;

/// <summary>
/// The one definition of ids, hashes and categories used by the chaincode, the gateway and the POS SDK. A trailing
/// newline (which .NET's '$' lets through) or any other control character makes a value invalid, never a second id.
/// </summary>
public sealed class IdRulesTests
{
    private static readonly string Hash = new('a', 64);

    public static TheoryData<string> Tails => ["\n", "\r\n", "\r", "\0", "\t", "\v", "\f", "\u0085", "\u2028", "\u2029", " ", "\u00a0"];

    [Theory]
    [MemberData(nameof(Tails))]
    public void A_control_or_space_character_after_a_valid_value_makes_it_invalid(string tail)
    {
        Assert.False(IdRules.IsHash(Hash + tail));
        Assert.False(IdRules.IsId("RT-1" + tail));
        Assert.False(IdRules.IsId("T-1" + tail));
        Assert.False(IdRules.IsCategory("food" + tail));
        Assert.False(IdRules.IsRedemptionId("T-1:abc" + tail));
        Assert.False(IdRules.IsRedemptionIdOf("T-1:abc" + tail, "T-1"));
        Assert.False(IdRules.IsRedemptionIdOf("T-1:abc", "T-1" + tail));
        Assert.False(IdRules.IsRedemptionReference("T-1:abc" + tail));
    }

    [Theory]
    [MemberData(nameof(Tails))]
    public void A_control_or_space_character_before_or_inside_a_valid_value_makes_it_invalid(string c)
    {
        Assert.False(IdRules.IsHash(c + Hash[1..]));
        Assert.False(IdRules.IsId(c + "RT-1"));
        Assert.False(IdRules.IsId("RT" + c + "1"));
        Assert.False(IdRules.IsRedemptionId("T-1:" + c + "abc"));
    }

    [Fact]
    public void Valid_values_pass()
    {
        Assert.True(IdRules.IsHash(Hash));
        Assert.False(IdRules.IsHash(Hash.ToUpperInvariant()));
        Assert.True(IdRules.IsId(new string('a', 64)));
        Assert.False(IdRules.IsId(new string('a', 65)));
        Assert.True(IdRules.IsCategory("hygiene-kits"));
    }

    [Theory]
    [InlineData("T-1:7f3c", "T-1")]
    [InlineData("site:a:T-1:7f3c", "site:a:T-1")]   // terminal ids may hold ':'; the owner is everything before the last one
    [InlineData("T.1:a_b-c.d", "T.1")]
    public void A_redemption_id_names_its_terminal(string redemptionId, string terminalId)
    {
        Assert.Equal(terminalId, IdRules.TerminalOf(redemptionId));
        Assert.True(IdRules.IsRedemptionIdOf(redemptionId, terminalId));
    }

    [Theory]
    [InlineData("7f3c")]            // no terminal
    [InlineData("T-1:")]            // no local part
    [InlineData(":7f3c")]           // empty terminal id
    public void An_unscoped_redemption_id_belongs_to_no_terminal(string redemptionId)
    {
        Assert.Null(IdRules.TerminalOf(redemptionId));
        Assert.False(IdRules.IsRedemptionIdOf(redemptionId, "T-1"));
    }

    [Fact]
    public void Only_the_terminal_named_in_a_redemption_id_may_use_it()
    {
        Assert.False(IdRules.IsRedemptionIdOf("T-1:7f3c", "T-2"));
        Assert.False(IdRules.IsRedemptionIdOf("T-1:a:b", "T-1")); // that id would belong to terminal "T-1:a"
        Assert.False(IdRules.IsRedemptionIdOf("T-10:x", "T-1"));
    }

    [Fact]
    public void New_redemption_ids_belong_to_their_terminal_and_differ()
    {
        var a = IdRules.NewRedemptionId("T-1");
        var b = IdRules.NewRedemptionId("T-1");
        Assert.True(IdRules.IsRedemptionIdOf(a, "T-1"));
        Assert.NotEqual(a, b);
        Assert.Throws<ArgumentException>(() => IdRules.NewRedemptionId("T-1\n"));
    }

    [Fact]
    public void Records_from_before_scoping_are_still_named_by_a_plain_id()
    {
        Assert.True(IdRules.IsRedemptionReference("R-T1-000042"));
        Assert.False(IdRules.IsRedemptionId("R-T1-000042"));
    }
}
