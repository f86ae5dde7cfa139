using CashTransfer.Audit.Ledger.Channel;
using CashTransfer.Audit.Ledger.Checks;
using CashTransfer.Audit.Ledger.State;
using Common;
using Fabric.Protocol.Ledger;
using Fabric.Protocol.Transactions;
using Protos;

namespace CashTransfer.Audit.Ledger;

/// <summary>
/// Verifies a channel's blocks one after another, trusting nothing but the first configuration: the hash chain and
/// data hash of every block, the orderer signatures against /Channel/Orderer/BlockValidation, and every transaction
/// (<see cref="TransactionCheck"/>) against the validation flag the peer wrote. Rebuilds the world state from the
/// transactions it counts valid. Started at the genesis block it takes the configuration from it and checks read
/// sets too; started later (<see cref="StartingAfter"/>) the state before that block is unknown, so it does not.
/// </summary>
public sealed class BlockVerifier
{
    private readonly HashSet<string> _transactionIds = new(StringComparer.Ordinal);
    private ChannelConfiguration? _config;
    private byte[]? _previousHash;
    private ulong? _previousNumber;

    /// <summary>Verifies from the genesis block, which must come first.</summary>
    public BlockVerifier() => StateIsComplete = true;

    private BlockVerifier(ChannelConfiguration config)
    {
        _config = config;
        StateIsComplete = false;
    }

    /// <summary>Verifies blocks after a trusted config block (for a ledger read from the middle).</summary>
    public static BlockVerifier StartingAfter(ChannelConfiguration trustedConfig) => new(trustedConfig);

    /// <summary>True when every block since genesis was applied, so the state and read-set checks are exact.</summary>
    public bool StateIsComplete { get; }

    public RebuiltState State { get; } = new();

    public ChannelConfiguration? Configuration => _config;

    public ulong BlocksVerified { get; private set; }
    public ulong TransactionsVerified { get; private set; }
    public ulong ValidTransactions { get; private set; }

    /// <summary>The header hash of the last block verified (what the next block's previous_hash must be).</summary>
    public byte[]? LastHeaderHash => _previousHash;

    public IReadOnlyList<LedgerFinding> Verify(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var findings = new List<LedgerFinding>();
        if (block.Header is null)
        {
            findings.Add(new(FindingKind.Malformed, (_previousNumber ?? 0) + 1, null, "a block header", "none"));
            return findings;
        }
        var number = block.Header.Number;
        CheckChain(block, findings);
        CheckDataHash(block, findings);

        if (_config is null)
        {
            if (number != 0) findings.Add(new(FindingKind.Malformed, number, null, "the genesis block (block 0) first", $"block {number}"));
            try { _config = ChannelConfiguration.FromConfigBlock(block); }
            catch (Exception e) when (e is FormatException or Google.Protobuf.InvalidProtocolBufferException)
            {
                findings.Add(new(FindingKind.Malformed, number, null, "a config block holding the channel configuration", e.Message));
                return Done(block, findings);
            }
        }
        else
        {
            CheckOrdererSignatures(block, _config, findings);
        }
        CheckTransactions(block, _config, findings);
        return Done(block, findings);
    }

    private IReadOnlyList<LedgerFinding> Done(Block block, List<LedgerFinding> findings)
    {
        _previousHash = BlockHeaderHash.Compute(block.Header);
        _previousNumber = block.Header.Number;
        BlocksVerified++;
        return findings;
    }

    private void CheckChain(Block block, List<LedgerFinding> findings)
    {
        var number = block.Header.Number;
        if (_previousNumber is { } previous && number != previous + 1)
            findings.Add(new(FindingKind.BlockNumberGap, number, null, $"block {previous + 1}", $"block {number}"));
        if (_previousHash is not null && !block.Header.PreviousHash.Span.SequenceEqual(_previousHash))
            findings.Add(new(FindingKind.PreviousHashMismatch, number, null, Convert.ToHexStringLower(_previousHash), Convert.ToHexStringLower(block.Header.PreviousHash.Span),
                $"previous_hash must be the hash of block {_previousNumber}'s header"));
    }

    private static void CheckDataHash(Block block, List<LedgerFinding> findings)
    {
        var computed = BlockDataHash.Compute(block.Data ?? new BlockData());
        if (!block.Header.DataHash.Span.SequenceEqual(computed))
            findings.Add(new(FindingKind.DataHashMismatch, block.Header.Number, null, Convert.ToHexStringLower(block.Header.DataHash.Span), Convert.ToHexStringLower(computed),
                "header.data_hash against SHA-256 of the block's transactions"));
    }

    private static void CheckOrdererSignatures(Block block, ChannelConfiguration config, List<LedgerFinding> findings)
    {
        var number = block.Header.Number;
        IReadOnlyList<BlockSignature> signatures;
        try { signatures = BlockSignatures.Read(block); }
        catch (FormatException e)
        {
            findings.Add(new(FindingKind.Malformed, number, null, "readable orderer signatures in metadata SIGNATURES", e.Message));
            return;
        }
        var signers = new List<ChannelMember>();
        foreach (var signature in signatures)
        {
            var (member, error) = config.Validate(signature.Header.Creator.Span);
            if (member is null)
            {
                findings.Add(new(FindingKind.OrdererSignatureInvalid, number, null, "a signer certified by a channel organisation", error ?? "an unknown identity"));
                continue;
            }
            var outcome = SignatureCheck.Verify(member.Identity, signature.SignedBytes, signature.Signature);
            if (outcome == SignatureOutcome.Valid) signers.Add(member);
            else findings.Add(new(FindingKind.OrdererSignatureInvalid, number, null, SignatureCheck.Describe(SignatureOutcome.Valid), SignatureCheck.Describe(outcome),
                $"signer {member.MspId} '{member.Identity.Certificate.Subject}'"));
        }
        const string path = "/Channel/Orderer/BlockValidation";
        if (!config.Satisfies(path, signers))
            findings.Add(new(FindingKind.BlockValidationPolicyUnsatisfied, number, null, $"signatures satisfying {path}",
                signers.Count == 0 ? "no valid signature" : string.Join(", ", signers.Select(s => $"{s.MspId} '{s.Identity.Certificate.Subject}'"))));
    }

    private void CheckTransactions(Block block, ChannelConfiguration config, List<LedgerFinding> findings)
    {
        var number = block.Header.Number;
        IReadOnlyList<TxValidationCode> flags;
        try { flags = TransactionsFilter.Read(block); }
        catch (FormatException e)
        {
            findings.Add(new(FindingKind.Malformed, number, null, "one validation flag per transaction", e.Message));
            flags = [];
        }
        var data = block.Data?.Data ?? [];
        for (var i = 0; i < data.Count; i++)
        {
            TxValidationCode? flag = flags.Count > 0 ? flags[i] : null;
            TransactionsVerified++;
            TransactionEnvelope tx;
            try { tx = TransactionEnvelope.Parse(data[i]); }
            catch (FormatException e)
            {
                if (flag == TxValidationCode.Valid) findings.Add(new(FindingKind.Malformed, number, null, $"a readable transaction at index {i}", e.Message));
                continue;
            }
            if (tx.Type == HeaderType.Config)
            {
                // The block is judged by the configuration before it; the new one governs the blocks after it.
                if (number != 0)
                {
                    try { _config = ChannelConfiguration.FromConfigBlock(block); }
                    catch (Exception e) when (e is FormatException or Google.Protobuf.InvalidProtocolBufferException)
                    {
                        findings.Add(new(FindingKind.Malformed, number, tx.TransactionId, "a readable channel configuration", e.Message));
                    }
                }
                if (flag is null or TxValidationCode.Valid) ValidTransactions++;
                continue;
            }
            if (tx.Type != HeaderType.EndorserTransaction) continue;

            var verdict = TransactionCheck.Run(tx, number, config, State, _transactionIds, StateIsComplete);
            _transactionIds.Add(tx.TransactionId);
            var valid = flag is { } f ? f == TxValidationCode.Valid : verdict.Code == TxValidationCode.Valid;
            if (flag == TxValidationCode.Valid && verdict.Code != TxValidationCode.Valid)
            {
                findings.AddRange(verdict.Problems);
                findings.Add(new(FindingKind.ValidationFlagInconsistent, number, tx.TransactionId, verdict.Code.ToString(), "VALID", $"transaction {i} of the block"));
            }
            else if (flag is { } given && given != TxValidationCode.Valid && verdict.Code == TxValidationCode.Valid && TransactionCheck.IsCheckable(given, StateIsComplete))
            {
                findings.Add(new(FindingKind.ValidationFlagInconsistent, number, tx.TransactionId, "VALID", given.ToString(), $"transaction {i} of the block passes every check that flag stands for"));
            }
            if (!valid) continue;
            ValidTransactions++;
            foreach (var action in tx.Actions)
            foreach (var ns in action.Namespaces)
                State.Apply(ns.Namespace, ns.Set, number, (ulong)i, tx.TransactionId);
        }
    }
}
