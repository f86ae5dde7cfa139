using System.Security.Cryptography;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Tests.Contract;

/// <summary>
/// A receipt is judged against the key and status in force when the sale was made and acknowledged
/// (docs/terminal-keys.md): a later rotation or suspension must not destroy a sale the service acknowledged.
/// </summary>
public class KeyChangeTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static async Task<Ledger> WithCashProgramme()
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 10_000, retailers: ["RT-1", "RT-2"]));
        await l.Issue(l.WfpOperator, "P1", "C1", (1, 1_000));
        return l;
    }

    private static Task<Fabric.Shim.Testing.TransactionOutcome<Redemption>> Redeem(Ledger l, Receipt receipt, ECDsa key, DateTimeOffset? acknowledgedAt) =>
        l.Submit(l.Gateway, c => l.Redemptions.Redeem(c, l.Sign(receipt, key) with { AcknowledgedAtUnixMs = acknowledgedAt?.ToUnixTimeMilliseconds() }));

    private static async Task<ECDsa> Rotate(Ledger l, string terminal = "T-1")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.True((await l.Submit(l.WfpOperator, c => l.Retail.RotateTerminalKey(c, terminal, key.ExportSubjectPublicKeyInfoPem()))).Succeeded);
        l.ReplaceTerminalKey(terminal, key);
        return key;
    }

    private static async Task Suspend(Ledger l, SuspensionReason reason) =>
        Assert.True((await l.Submit(l.WfpOperator, c => l.Retail.SuspendTerminal(c, "T-1", reason.ToString()))).Succeeded);

    [Fact]
    public async Task Receipts_acknowledged_before_a_key_rotation_are_honoured_after_it()
    {
        var l = await WithCashProgramme();
        var oldKey = l.TerminalKey("T-1");
        // The service acknowledged a batch; its terminal clock was wrong (dated after the rotation) but the acknowledgement came first.
        var acknowledged = l.Receipt(1, 30, at: Ledger.Start.AddMinutes(5));
        var acknowledgedAt = l.World.Clock;
        l.World.Clock += Minute;
        await Rotate(l);
        l.World.Clock += Minute;
        var r = (await Redeem(l, acknowledged, oldKey, acknowledgedAt)).Value;
        Assert.Equal((RedemptionStatus.Accepted, 1, acknowledgedAt.ToUnixTimeMilliseconds()), (r.Status, r.KeyVersion, r.AcknowledgedAtUnixMs));
    }

    [Fact]
    public async Task Offline_sales_made_before_a_routine_rotation_are_honoured_and_later_ones_are_not()
    {
        var l = await WithCashProgramme();
        var oldKey = l.TerminalKey("T-1");
        var offline = l.Receipt(1, 30, at: l.World.Clock);
        l.World.Clock += Minute;
        await Rotate(l);
        l.World.Clock += Minute;
        Assert.Equal(RedemptionStatus.Accepted, (await Redeem(l, offline, oldKey, acknowledgedAt: l.World.Clock)).Value.Status);
        var afterRotation = (await Redeem(l, l.Receipt(1, 30, at: l.World.Clock), oldKey, acknowledgedAt: l.World.Clock)).Value;
        Assert.Equal(RejectionCode.KeyRetired, afterRotation.Rejection!.Code);
        Assert.Contains("replaced at", afterRotation.Rejection.Message);
        // The current key signs new sales as before.
        Assert.Equal(RedemptionStatus.Accepted, (await l.Redeem(l.Receipt(1, 30))).Value.Status);
    }

    [Theory]
    [InlineData(SuspensionReason.Routine)]
    [InlineData(SuspensionReason.LossOrTheft)]
    public async Task Receipts_acknowledged_before_a_suspension_are_honoured(SuspensionReason reason)
    {
        var l = await WithCashProgramme();
        var sale = l.Receipt(1, 30, at: l.World.Clock);
        var acknowledgedAt = l.World.Clock;
        l.World.Clock += Minute;
        await Suspend(l, reason);
        l.World.Clock += Minute;
        Assert.Equal(RedemptionStatus.Accepted, (await Redeem(l, sale, l.TerminalKey("T-1"), acknowledgedAt)).Value.Status);
    }

    [Fact]
    public async Task Offline_sales_made_before_a_routine_suspension_are_honoured_and_sales_during_it_are_not_even_after_reactivation()
    {
        var l = await WithCashProgramme();
        var key = l.TerminalKey("T-1");
        var before = l.Receipt(1, 30, at: l.World.Clock);
        l.World.Clock += Minute;
        await Suspend(l, SuspensionReason.Routine);
        l.World.Clock += Minute;
        var during = l.Receipt(1, 30, at: l.World.Clock);
        l.World.Clock += Minute;
        Assert.True((await l.Submit(l.WfpOperator, c => l.Retail.ReactivateTerminal(c, "T-1"))).Succeeded);
        l.World.Clock += Minute;
        Assert.Equal(RedemptionStatus.Accepted, (await Redeem(l, before, key, l.World.Clock)).Value.Status);
        var refused = (await Redeem(l, during, key, l.World.Clock)).Value;
        Assert.Equal(RejectionCode.TerminalSuspended, refused.Rejection!.Code);
        Assert.Contains("was suspended (Routine)", refused.Rejection.Message);
        Assert.Equal(RedemptionStatus.Accepted, (await Redeem(l, l.Receipt(1, 30, at: l.World.Clock), key, null)).Value.Status);
    }

    [Fact]
    public async Task After_a_loss_or_theft_nothing_signed_later_with_that_key_is_honoured_even_after_a_new_key()
    {
        var l = await WithCashProgramme();
        var stolenKey = l.TerminalKey("T-1");
        var genuineOffline = l.Receipt(1, 30, at: l.World.Clock);
        l.World.Clock += Minute;
        await Suspend(l, SuspensionReason.LossOrTheft);
        var reportedAt = l.World.Clock;
        l.World.Clock += Minute;
        var thiefSale = l.Receipt(1, 30, at: l.World.Clock);

        var refused = (await Redeem(l, thiefSale, stolenKey, acknowledgedAt: l.World.Clock)).Value;
        Assert.Equal(RejectionCode.KeyReportedLost, refused.Rejection!.Code);
        Assert.Contains($"reported lost or stolen at {reportedAt:O}", refused.Rejection.Message);
        // A sale dated before the report was made while the terminal was in safe hands (or back-dated: docs/terminal-keys.md says what that means).
        Assert.Equal(RedemptionStatus.Accepted, (await Redeem(l, genuineOffline, stolenKey, acknowledgedAt: l.World.Clock)).Value.Status);

        // The terminal cannot come back with its compromised key.
        (await l.Submit(l.WfpOperator, c => l.Retail.ReactivateTerminal(c, "T-1"))).FailsWith(409);
        var newKey = await Rotate(l);
        Assert.True((await l.Submit(l.WfpOperator, c => l.Retail.ReactivateTerminal(c, "T-1"))).Succeeded);
        l.World.Clock += Minute;
        var stillRefused = (await Redeem(l, l.Receipt(1, 30, at: reportedAt + Minute), stolenKey, acknowledgedAt: l.World.Clock)).Value;
        Assert.Equal(RejectionCode.KeyReportedLost, stillRefused.Rejection!.Code);
        Assert.Equal(RedemptionStatus.Accepted, (await Redeem(l, l.Receipt(1, 30, at: l.World.Clock), newKey, null)).Value.Status);
    }

    [Fact]
    public async Task A_routine_suspension_can_be_raised_to_loss_or_theft()
    {
        var l = await WithCashProgramme();
        await Suspend(l, SuspensionReason.Routine);
        l.World.Clock += Minute;
        await Suspend(l, SuspensionReason.LossOrTheft);
        var terminal = l.Committed<Terminal>("Terminal", "T-1");
        Assert.Equal([SuspensionReason.Routine, SuspensionReason.LossOrTheft], terminal.SuspensionHistory.Select(s => s.Reason));
        Assert.Equal(l.World.Clock, terminal.CurrentKeyCompromisedAt);
        (await l.Submit(l.WfpOperator, c => l.Retail.SuspendTerminal(c, "T-1", "Stolen"))).FailsWith(400);
    }

    [Fact]
    public async Task An_acknowledgement_time_in_the_future_is_refused()
    {
        var l = await WithCashProgramme();
        var outcome = await Redeem(l, l.Receipt(1, 30), l.TerminalKey("T-1"), l.World.Clock + TimeSpan.FromHours(1));
        Assert.Contains("acknowledgement time", outcome.FailsWith(400).Message);
    }

    [Fact]
    public async Task A_rotation_to_a_key_the_terminal_had_before_is_refused()
    {
        var l = await WithCashProgramme();
        var first = l.TerminalKey("T-1").ExportSubjectPublicKeyInfoPem();
        await Rotate(l);
        (await l.Submit(l.WfpOperator, c => l.Retail.RotateTerminalKey(c, "T-1", first))).FailsWith(400);
    }

    [Fact]
    public async Task A_signature_no_key_of_the_terminal_verifies_is_refused_with_nothing_recorded()
    {
        var l = await WithCashProgramme();
        await Rotate(l);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var receipt = l.Receipt(1, 30, at: Ledger.Start - TimeSpan.FromDays(1));
        Assert.Contains("any key terminal T-1 has had", (await Redeem(l, receipt, stranger, Ledger.Start - TimeSpan.FromDays(1))).FailsWith(401).Message);
    }
}
