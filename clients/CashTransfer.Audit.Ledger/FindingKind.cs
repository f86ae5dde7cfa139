namespace CashTransfer.Audit.Ledger;

/// <summary>What a ledger verification found wrong. Each names one check of <c>docs/reconciliation.md</c>.</summary>
public enum FindingKind
{
    /// <summary>A block or transaction could not be parsed.</summary>
    Malformed,
    /// <summary>A block number is not the one after the previous block.</summary>
    BlockNumberGap,
    /// <summary>header.previous_hash is not the hash of the previous block's header.</summary>
    PreviousHashMismatch,
    /// <summary>header.data_hash is not SHA-256 of the block's transactions.</summary>
    DataHashMismatch,
    /// <summary>An orderer signature in metadata SIGNATURES does not verify (or is high-S).</summary>
    OrdererSignatureInvalid,
    /// <summary>The block's valid orderer signatures do not satisfy /Channel/Orderer/BlockValidation.</summary>
    BlockValidationPolicyUnsatisfied,
    /// <summary>The transaction's creator is not a valid member of a channel organisation.</summary>
    CreatorNotMember,
    /// <summary>The envelope signature does not verify against the creator (or is high-S).</summary>
    CreatorSignatureInvalid,
    /// <summary>tx_id is not SHA-256(nonce || creator).</summary>
    TransactionIdMismatch,
    /// <summary>An endorsement signature does not verify (or is high-S), or its endorser is not a channel member.</summary>
    EndorsementSignatureInvalid,
    /// <summary>The valid endorsements do not satisfy the chaincode's endorsement policy.</summary>
    EndorsementPolicyUnsatisfied,
    /// <summary>The valid endorsements do not satisfy a written key's key-level (state-based) policy.</summary>
    KeyLevelPolicyUnsatisfied,
    /// <summary>A transaction flagged VALID repeats an earlier transaction id.</summary>
    DuplicateTransactionId,
    /// <summary>A transaction flagged VALID read a version other than the one committed before it (an MVCC conflict).</summary>
    ReadConflict,
    /// <summary>A transaction's validation flag disagrees with what the checks show.</summary>
    ValidationFlagInconsistent,
    /// <summary>The world state rebuilt from the blocks differs from what the chaincode's queries return.</summary>
    StateMismatch,
    /// <summary>The peer's qscc GetChainInfo names another newest block than the blocks it delivered.</summary>
    ChainInfoMismatch,
    /// <summary>Two peers hold different blocks at the same height (the first such block is reported).</summary>
    PeersDiverge,
}
