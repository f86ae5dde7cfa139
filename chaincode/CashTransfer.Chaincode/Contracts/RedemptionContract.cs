using CashTransfer.Chaincode.Access;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using CashTransfer.Chaincode.Rules;
using CashTransfer.Contracts;
using Fabric.Shim.Contracts;

namespace CashTransfer.Chaincode.Contracts;

/// <summary>Spending at a retailer: redemptions from terminals' signed receipts, and their reversal.</summary>
[Contract("Redemption")]
public sealed class RedemptionContract : Contract
{
    /// <summary>How long after a redemption was recorded its retailer may still reverse it.</summary>
    public static readonly TimeSpan RetailerReversalWindow = TimeSpan.FromHours(24);

    /// <summary>How far ahead of the ledger's clock a terminal's clock may be.</summary>
    public static readonly TimeSpan TerminalClockTolerance = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Records the outcome of a terminal's signed receipt. A repeated redemption id returns the first outcome and
    /// changes nothing. The redemption id must belong to the signing terminal, so no other terminal can take it.
    /// An unknown terminal or a signature that no key of the terminal verifies is refused without a record (a forger
    /// must not be able to occupy a redemption id); any other refusal of a genuine receipt is recorded as a rejection.
    /// The receipt is judged against the key and status in force when the sale was made and when the gateway
    /// acknowledged it (<see cref="KeyInForceRule"/>): the acknowledgement time is taken from the gateway role only.
    /// </summary>
    [Transaction]
    public async Task<Redemption> Redeem(Context ctx, SignedReceipt signed)
    {
        Caller.Require(ctx, Role.Gateway);
        var receipt = (signed?.Receipt ?? throw Problem.Invalid("A signed receipt is required.")).Validate();
        var ledger = new LedgerStore(ctx);
        var key = ledger.Key(Keys.Redemption, receipt.RedemptionId);
        if (await ledger.FindAsync<Redemption>(key) is { } first) return first;

        var acknowledgedAt = AcknowledgedAt(ctx, signed.AcknowledgedAtUnixMs);
        var terminal = await ledger.GetAsync<Terminal>(ledger.Key(Keys.Terminal, receipt.TerminalId), $"Terminal {receipt.TerminalId} is not registered.");
        var encoded = ReceiptEncoding.Encode(receipt);
        var standing = KeyInForceRule.Judge(terminal.KeyHistory, receipt, acknowledgedAt,
            pem => !string.IsNullOrEmpty(signed.Signature) && ReceiptEncoding.Verify(pem, encoded, signed.Signature));
        if (!standing.Signed)
            throw Problem.Unauthenticated($"The signature does not verify with any key terminal {terminal.TerminalId} has had (current version {terminal.KeyVersion}); nothing was recorded.");
        var retailer = await ledger.GetAsync<Retailer>(ledger.Key(Keys.Retailer, terminal.RetailerId), $"Retailer {terminal.RetailerId} of terminal {terminal.TerminalId} is not registered.");
        var (plan, rejection) = standing.Refusal is { } refused ? ([], Rejected(refused)) : await DecideAsync(ctx, ledger, receipt, retailer, acknowledgedAt);

        var redemption = new Redemption(receipt.RedemptionId, terminal.TerminalId, retailer.RetailerId, receipt.Sequence, ReceiptEncoding.Hash(receipt),
            receipt.BeneficiaryHash, receipt.Amount, receipt.Category, receipt.TerminalTimeUnixMs, ctx.Stub.TxTimestamp, ctx.Stub.TxId,
            rejection is null ? RedemptionStatus.Accepted : RedemptionStatus.Rejected, rejection,
            plan.Select(p => new Allocation(p.Holding.Programme.ProgrammeId, p.Holding.Entitlement.Cycle, p.Holding.Programme.OwnerMsp, p.Amount)).ToList(), null,
            standing.KeyVersion, signed.AcknowledgedAtUnixMs);
        foreach (var (holding, amount) in plan)
        {
            // Read the key itself (not only through the range scan), so that a concurrent spend of this
            // entitlement fails with an MVCC read conflict on it: the double-spend protection.
            await ctx.Stub.GetStateAsync(holding.Key);
            await ledger.PutAsync(holding.Key, holding.Entitlement with { Redeemed = MoneyRules.Plus(holding.Entitlement.Redeemed, amount, "The redeemed total"), Balance = holding.Entitlement.Balance - amount });
        }
        foreach (var delta in PayableDeltas(redemption))
            await ledger.PutAsync(ledger.Key(Keys.PayableDelta, delta.RetailerId, delta.AgencyMsp, delta.RedemptionId), delta);
        await RecordAsync(ledger, key, redemption);
        ledger.Emit(rejection is null ? ChaincodeEvents.RedemptionAccepted : ChaincodeEvents.RedemptionRejected, redemption);
        return redemption;
    }

    /// <summary>Reverses a redemption at its retailer's request, signed by one of the retailer's terminals, within the reversal window.</summary>
    [Transaction]
    public async Task<Redemption> ReverseByRetailer(Context ctx, SignedReversal signed)
    {
        Caller.Require(ctx, Role.Gateway);
        var request = signed?.Request ?? throw Problem.Invalid("A signed reversal request is required.");
        var reason = ReasonCode(request.Reason);
        var ledger = new LedgerStore(ctx);
        var terminal = await VerifiedTerminalAsync(ledger, Identifiers.RequireId(request.TerminalId, "Terminal id"), ReceiptEncoding.Encode(request), signed.Signature);
        // A suspended terminal may not undo sales either (it may be lost or stolen); the owning agency can still reverse.
        if (terminal.Status != ParticipantStatus.Active)
            throw Problem.Forbidden($"Terminal {terminal.TerminalId} is suspended; ask the owning agency to reverse the redemption.");
        var (key, redemption) = await ReversibleAsync(ledger, request.RedemptionId);
        if (terminal.RetailerId != redemption.RetailerId)
            throw Problem.Forbidden($"Redemption {redemption.RedemptionId} was made at retailer {redemption.RetailerId}; terminal {terminal.TerminalId} cannot reverse it.");
        if (ctx.Stub.TxTimestamp - redemption.RecordedAt > RetailerReversalWindow)
            throw Problem.Forbidden($"The retailer's reversal window of {RetailerReversalWindow.TotalHours} hours has passed; ask the owning agency to reverse it.");
        return await ReverseAsync(ctx, ledger, key, redemption, new Reversal(ReversalAuthority.Retailer, terminal.TerminalId, reason, ctx.Stub.TxTimestamp, ctx.Stub.TxId));
    }

    /// <summary>Reverses a redemption on the word of an agency that paid for part of it; no time limit.</summary>
    [Transaction]
    public async Task<Redemption> ReverseByAgency(Context ctx, string redemptionId, string reason)
    {
        var agency = Caller.RequireOperator(ctx);
        var code = ReasonCode(reason);
        var ledger = new LedgerStore(ctx);
        var (key, redemption) = await ReversibleAsync(ledger, redemptionId);
        // Any agency that paid part may reverse; the key-level endorsement of each entitlement still needs its owner's peer.
        if (!redemption.Allocations.Any(a => a.OwnerMsp == agency))
            throw Problem.Forbidden($"Redemption {redemptionId} was not paid by {agency}'s programmes.");
        return await ReverseAsync(ctx, ledger, key, redemption, new Reversal(ReversalAuthority.OwningAgency, agency, code, ctx.Stub.TxTimestamp, ctx.Stub.TxId));
    }

    /// <summary>A refusal by the key-in-force rule as the ledger records it (the reasons are named as its rejection codes).</summary>
    private static Rejection Rejected(KeyRefusal refusal) => new(refusal.Reason switch
    {
        KeyRefusalReason.KeyReportedLost => RejectionCode.KeyReportedLost,
        KeyRefusalReason.KeyRetired => RejectionCode.KeyRetired,
        KeyRefusalReason.TerminalSuspended => RejectionCode.TerminalSuspended,
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal.Reason, "A key refusal the ledger has no rejection code for."),
    }, refusal.Message);

    private static ReversalReason ReasonCode(string? reason) => ReversalReasons.TryParse(reason, out var code)
        ? code
        : throw Problem.Invalid($"Reason must be one of {string.Join(", ", ReversalReasons.All)}; got '{reason}'.");

    private static async Task<Terminal> VerifiedTerminalAsync(LedgerStore ledger, string terminalId, byte[] signedBytes, string? signature)
    {
        var terminal = await ledger.GetAsync<Terminal>(ledger.Key(Keys.Terminal, terminalId), $"Terminal {terminalId} is not registered.");
        if (string.IsNullOrEmpty(signature) || !ReceiptEncoding.Verify(terminal.PublicKeyPem, signedBytes, signature))
            throw Problem.Unauthenticated($"The signature does not verify with terminal {terminalId}'s registered key (version {terminal.KeyVersion}); nothing was recorded.");
        return terminal;
    }

    /// <summary>The gateway's acknowledgement time: optional, and never later than the ledger's clock allows a terminal's to be.</summary>
    private static DateTimeOffset? AcknowledgedAt(Context ctx, long? unixMs)
    {
        if (unixMs is not { } ms) return null;
        var latest = ctx.Stub.TxTimestamp + TerminalClockTolerance;
        if (ms <= 0 || ms > latest.ToUnixTimeMilliseconds())
            throw Problem.Invalid($"The acknowledgement time {ms} must be a Unix time in milliseconds no later than the ledger's clock ({latest:O}).");
        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }

    private static async Task<(IReadOnlyList<(Holding Holding, long Amount)>, Rejection?)> DecideAsync(Context ctx, LedgerStore ledger, Receipt receipt, Retailer retailer, DateTimeOffset? acknowledgedAt)
    {
        // Judged, like a terminal, at the sale and at the service's acknowledgement: a sale made and acknowledged before
        // the retailer's suspension still counts; one made or acknowledged while it was suspended never does.
        if (retailer.WasSuspendedAt(receipt.TerminalTime) || (acknowledgedAt is { } ack && retailer.WasSuspendedAt(ack)))
            return ([], new Rejection(RejectionCode.RetailerSuspended, $"Retailer {retailer.RetailerId} was suspended when the sale was made or acknowledged."));
        if (receipt.TerminalTime > ctx.Stub.TxTimestamp + TerminalClockTolerance)
            return ([], new Rejection(RejectionCode.TerminalTimeInFuture, "The receipt is dated in the future; check the terminal's clock."));
        if (!retailer.Categories.Contains(receipt.Category))
            return ([], new Rejection(RejectionCode.CategoryNotAllowed, $"Retailer {retailer.RetailerId} is not registered to sell {receipt.Category}."));
        var plan = AllocationRule.Plan(await HoldingsAsync(ctx, ledger, receipt.BeneficiaryHash), receipt, retailer.RetailerId);
        return (plan.Parts, plan.Rejection);
    }

    private static async Task<List<Holding>> HoldingsAsync(Context ctx, LedgerStore ledger, string beneficiaryHash)
    {
        var programmes = new Dictionary<string, Programme>(StringComparer.Ordinal);
        var holdings = new List<Holding>();
        await foreach (var kv in ctx.Stub.GetStateByPartialCompositeKeyAsync(Keys.Entitlement, [beneficiaryHash]))
        {
            var entitlement = LedgerJson.Deserialize<Entitlement>(kv.Value);
            if (!programmes.TryGetValue(entitlement.ProgrammeId, out var programme))
                programmes[entitlement.ProgrammeId] = programme = await ledger.GetAsync<Programme>(ledger.Key(Keys.Programme, entitlement.ProgrammeId), $"Programme {entitlement.ProgrammeId} is missing.");
            holdings.Add(new Holding(kv.Key, entitlement, programme));
        }
        return holdings;
    }

    /// <summary>One payable delta per paying agency: what that agency owes the retailer for this redemption.</summary>
    private static IEnumerable<PayableDelta> PayableDeltas(Redemption r) =>
        r.Allocations.GroupBy(a => a.OwnerMsp, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            new PayableDelta(r.RetailerId, g.Key, r.RedemptionId, new Money(MoneyRules.Total(g.Select(a => a.AmountMinor), "A payable"), r.Amount.Currency), r.RecordedAt, g.ToList()));

    private static async Task RecordAsync(LedgerStore ledger, string key, Redemption r)
    {
        await ledger.PutAsync(key, r);
        await ledger.PutIndexAsync(ledger.Key(Keys.RedemptionByTerminal, r.TerminalId, Keys.SortableSequence(r.Sequence), r.RedemptionId), r.RedemptionId);
        await ledger.PutIndexAsync(ledger.Key(Keys.RedemptionByRetailer, r.RetailerId, Keys.SortableTime(r.RecordedAt), r.RedemptionId), r.RedemptionId);
        await ledger.PutIndexAsync(Keys.RedemptionTimeKey(r.RecordedAt, r.RedemptionId), r.RedemptionId);
    }

    private static async Task<(string Key, Redemption Redemption)> ReversibleAsync(LedgerStore ledger, string redemptionId)
    {
        var key = ledger.Key(Keys.Redemption, Identifiers.RequireRedemptionReference(redemptionId));
        var redemption = await ledger.GetAsync<Redemption>(key, $"Redemption {redemptionId} is not recorded.");
        if (redemption.Status != RedemptionStatus.Accepted)
            throw Problem.Conflict($"Redemption {redemptionId} is {redemption.Status}; only an accepted redemption can be reversed.");
        return (key, redemption);
    }

    // Rule: reversal restores each entitlement it paid from and removes the payables; a settled payable cannot be
    // reversed here (the money has been paid out), so every payable delta of the redemption must still exist.
    private static async Task<Redemption> ReverseAsync(Context ctx, LedgerStore ledger, string key, Redemption redemption, Reversal reversal)
    {
        foreach (var delta in PayableDeltas(redemption))
        {
            var deltaKey = ledger.Key(Keys.PayableDelta, delta.RetailerId, delta.AgencyMsp, delta.RedemptionId);
            if (await ledger.FindAsync<PayableDelta>(deltaKey) is null)
                throw Problem.Conflict($"Redemption {redemption.RedemptionId} has been settled by {delta.AgencyMsp}; correct it with the retailer off-ledger.");
            await ledger.DeleteAsync(deltaKey);
        }
        foreach (var allocation in redemption.Allocations)
        {
            var entitlementKey = Keys.EntitlementKey(ctx.Stub, redemption.BeneficiaryHash, allocation.ProgrammeId, allocation.Cycle);
            var e = await ledger.GetAsync<Entitlement>(entitlementKey, "An entitlement that paid for this redemption is missing.");
            await ledger.PutAsync(entitlementKey, Restore(e, allocation.AmountMinor));
        }
        var reversed = redemption with { Status = RedemptionStatus.Reversed, Reversal = reversal };
        await ledger.PutAsync(key, reversed);
        ledger.Emit(ChaincodeEvents.RedemptionReversed, reversed);
        return reversed;
    }

    private const string Restored = "The entitlement after this reversal";

    /// <summary>Money restored to an entitlement that was revoked or reclaimed meanwhile goes straight to that bucket, not back to the balance.</summary>
    private static Entitlement Restore(Entitlement e, long amount) => e.Status switch
    {
        EntitlementStatus.Revoked => e with { Reversed = MoneyRules.Plus(e.Reversed, amount, Restored), Revoked = MoneyRules.Plus(e.Revoked, amount, Restored) },
        EntitlementStatus.Reclaimed => e with { Reversed = MoneyRules.Plus(e.Reversed, amount, Restored), Reclaimed = MoneyRules.Plus(e.Reclaimed, amount, Restored) },
        _ => e with { Reversed = MoneyRules.Plus(e.Reversed, amount, Restored), Balance = MoneyRules.Plus(e.Balance, amount, Restored) },
    };
}
