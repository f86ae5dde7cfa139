namespace CashTransfer.Chaincode.Access;

/// <summary>
/// What a caller may do, from the certificate attribute <c>cashtransfer.role</c> that the agency's CA issues:
/// an operator acts for its agency (its MSP id), an auditor only reads, the gateway submits what terminals signed.
/// </summary>
public enum Role { Operator, Auditor, Gateway }
