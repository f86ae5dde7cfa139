using System.Security.Cryptography;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Tests.Contract;

/// <summary>
/// Ids and hashes with a trailing newline or any other control character are refused at the ledger: .NET's '$'
/// matched before a final "\n", so "&lt;hash&gt;\n" passed as a second beneficiary, invisible to the overlap check.
/// </summary>
public class HostileIdTests
{
    public static TheoryData<string> Tails => ["\n", "\r\n", "\r", "\0", "\t", "\u0085", "\u2028", " "];

    private static async Task<Ledger> WithCashProgramme()
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 10_000, retailers: ["RT-1", "RT-2"]));
        await l.Issue(l.WfpOperator, "P1", "C1", (1, 100));
        return l;
    }

    [Theory]
    [MemberData(nameof(Tails))]
    public async Task A_beneficiary_hash_with_a_control_character_is_refused_at_issue_and_at_redemption(string tail)
    {
        var l = await WithCashProgramme();
        var twin = Ledger.Beneficiary(1) + tail;
        var issue = await l.Submit(l.WfpOperator, c => l.Entitlements.IssueEntitlements(c, new EntitlementBatch("P1", "C2", [new EntitlementGrant(twin, 50)])));
        Assert.Contains("64 lowercase hex", issue.FailsWith(400).Message);
        (await l.Submit(l.WfpOperator, c => l.Entitlements.TopUpEntitlement(c, "P1", "C1", twin, 5))).FailsWith(400);
        (await l.Redeem(l.Receipt(1, 10) with { BeneficiaryHash = twin })).FailsWith(400);
        (await l.Submit(l.WfpOperator, c => l.Coordination.CheckAssistance(c, twin, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"))).FailsWith(400);
    }

    [Theory]
    [MemberData(nameof(Tails))]
    public async Task Retailer_terminal_and_redemption_ids_with_a_control_character_are_refused(string tail)
    {
        var l = await WithCashProgramme();
        (await l.Submit(l.WfpOperator, c => l.Retail.RegisterRetailer(c, new RetailerRegistration("RT-1" + tail, ["food"])))).FailsWith(400);
        (await l.Submit(l.WfpOperator, c => l.Retail.RegisterTerminal(c, new TerminalRegistration("T-1" + tail, "RT-1", l.TerminalKey("T-1").ExportSubjectPublicKeyInfoPem())))).FailsWith(400);
        (await l.Submit(l.Gateway, c => l.Redemptions.Redeem(c, l.Sign(l.Receipt(1, 10) with { TerminalId = "T-1" + tail }, l.TerminalKey("T-1"))))).FailsWith(400);
        var receipt = l.Receipt(1, 10);
        (await l.Redeem(receipt with { RedemptionId = receipt.RedemptionId + tail })).FailsWith(400);
        (await l.Redeem(receipt with { PreviousReceiptHash = new string('0', 64) + tail })).FailsWith(400);
        (await l.Evaluate(l.Auditor, c => l.Queries.GetRedemption(c, receipt.RedemptionId + tail))).FailsWith(400);
        Assert.Empty(l.All<Redemption>("Redemption"));
    }

    [Fact]
    public async Task A_terminal_key_on_a_curve_dotnet_does_not_know_is_refused_as_invalid()
    {
        var l = await WithCashProgramme();
        using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = fresh.ExportSubjectPublicKeyInfo();
        // P-256's curve OID ends 03 01 07; 03 01 08 is no curve .NET knows: it threw PlatformNotSupportedException (a 502).
        spki[spki.AsSpan().IndexOf(new byte[] { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07 }) + 7] = 0x08;
        var pem = PemEncoding.WriteString("PUBLIC KEY", spki);

        var refused = await l.Submit(l.WfpOperator, c => l.Retail.RegisterTerminal(c, new TerminalRegistration("T-9", "RT-1", pem)));

        Assert.Contains("ECDSA P-256", refused.FailsWith(400).Message);
    }

    [Fact]
    public async Task A_restriction_kind_named_by_an_undefined_number_is_refused()
    {
        // JSON may name an enum by number ("kind": "7"); stored, it came back as a number the service could not read (a 500).
        var l = await new Ledger().WithRetailers();
        var created = await l.Submit(l.WfpOperator, c => l.Programmes.CreateProgramme(c, Ledger.Definition("P7", 10_000, kind: (RestrictionKind)7)));
        Assert.Contains("Cash or Voucher", created.FailsWith(400).Message);
    }

    [Fact]
    public async Task Another_terminal_cannot_take_a_redemption_id_first()
    {
        var l = await WithCashProgramme();
        var genuine = l.Receipt(1, 30, terminal: "T-1", redemptionId: "T-1:sale-1");
        // T-2 (another retailer's terminal) signs a receipt with T-1's predictable id: refused, nothing recorded.
        var squat = await l.Redeem(l.Receipt(1, 1, terminal: "T-2", redemptionId: "T-1:sale-1"));
        Assert.Contains("does not belong to terminal T-2", squat.FailsWith(400).Message);
        Assert.Equal(RedemptionStatus.Accepted, (await l.Redeem(genuine)).Value.Status);
    }

    [Theory]
    [InlineData("sale-1")]          // not scoped at all
    [InlineData("T-2:sale-1")]      // another terminal's
    [InlineData("T-1:")]            // nothing after the terminal id
    [InlineData("T-1:a:b")]         // the local part may not hold ':' (it would read as terminal "T-1:a")
    [InlineData("T:1:sale")]        // terminal "T:1", not T-1
    public async Task A_redemption_id_that_does_not_belong_to_the_signing_terminal_is_refused(string redemptionId)
    {
        var l = await WithCashProgramme();
        (await l.Redeem(l.Receipt(1, 10, terminal: "T-1", redemptionId: redemptionId))).FailsWith(400);
    }

    [Fact]
    public async Task A_refused_id_is_quoted_escaped_and_cut_short_in_the_error()
    {
        // The error quotes what arrived: one line, and never the hundred kilobytes a client sent as an id.
        var l = await WithCashProgramme();
        var huge = "RT-\n" + new string('x', 100_000);

        var refused = (await l.Submit(l.WfpOperator, c => l.Retail.RegisterRetailer(c, new RetailerRegistration(huge, ["food"])))).FailsWith(400);

        Assert.Contains("RT-\\u000a", refused.Message);
        Assert.Contains("…", refused.Message);
        Assert.True(refused.Message.Length < 400, $"{refused.Message.Length} characters");
    }
}
