using FsCheck;
using FsCheck.Fluent;

namespace CashTransfer.Chaincode.Tests.Properties;

/// <summary>One step of a random scenario against the contract.</summary>
public abstract record Operation;
public sealed record IssueOp(string Programme, int Beneficiary, string Cycle, long Amount) : Operation;
public sealed record TopUpOp(string Programme, int Beneficiary, string Cycle, long Amount) : Operation;
public sealed record RevokeOp(string Programme, int Beneficiary, string Cycle) : Operation;
public sealed record RedeemOp(int Beneficiary, string Terminal, long Amount, string Currency, string Category) : Operation;
public sealed record ConcurrentRedeemOp(int Beneficiary, long FirstAmount, long SecondAmount, string SecondTerminal) : Operation;
public sealed record ReverseOp(int Pick, bool ByAgency) : Operation;
public sealed record SettleOp(bool Wfp, string Retailer) : Operation;
public sealed record AdvanceClockOp(int Hours) : Operation;
public sealed record ReclaimOp(string Programme, string Cycle) : Operation;

internal static class Operations
{
    public static readonly string[] Programmes = ["P-W", "P-U", "P-K"];
    private static readonly string[] Cycles = ["C1", "C2"];

    private static Gen<int> Beneficiary => Gen.Choose(1, 3);
    private static Gen<string> Programme => Gen.Elements(Programmes);
    private static Gen<string> Cycle => Gen.Elements(Cycles);
    private static Gen<long> Amount(int max) => Gen.Choose(1, max).Select(a => (long)a);

    private static readonly Gen<Operation> One = Gen.Frequency(
        (4, Programme.SelectMany(p => Beneficiary.SelectMany(b => Cycle.SelectMany(c => Amount(600).Select(a => (Operation)new IssueOp(p, b, c, a)))))),
        (1, Programme.SelectMany(p => Beneficiary.SelectMany(b => Cycle.SelectMany(c => Amount(300).Select(a => (Operation)new TopUpOp(p, b, c, a)))))),
        (1, Programme.SelectMany(p => Beneficiary.SelectMany(b => Cycle.Select(c => (Operation)new RevokeOp(p, b, c))))),
        (6, Beneficiary.SelectMany(b => Gen.Elements("T-1", "T-2").SelectMany(t => Amount(400).SelectMany(a =>
            Gen.Elements("USD", "USD", "KES").SelectMany(cur => Gen.Elements("food", "fuel").Select(cat => (Operation)new RedeemOp(b, t, a, cur, cat))))))),
        (2, Beneficiary.SelectMany(b => Amount(400).SelectMany(a1 => Amount(400).SelectMany(a2 => Gen.Elements("T-1", "T-2").Select(t => (Operation)new ConcurrentRedeemOp(b, a1, a2, t)))))),
        (2, Gen.Choose(0, 50).SelectMany(i => Gen.Elements(true, false).Select(a => (Operation)new ReverseOp(i, a)))),
        (1, Gen.Elements(true, false).SelectMany(w => Gen.Elements("RT-1", "RT-2").Select(r => (Operation)new SettleOp(w, r)))),
        (1, Gen.Choose(1, 120).Select(h => (Operation)new AdvanceClockOp(h))),
        (1, Programme.SelectMany(p => Cycle.Select(c => (Operation)new ReclaimOp(p, c)))));

    /// <summary>Scenarios of up to 40 steps (growing with FsCheck's size).</summary>
    public static Arbitrary<Operation[]> Scenarios => Arb.From(Gen.Sized(size => Gen.Choose(1, Math.Clamp(size, 1, 40)).SelectMany(n => Gen.ArrayOf(One, n))));
}
