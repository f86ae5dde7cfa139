namespace CashTransfer.Chaos.Processes;

/// <summary>The separately started parts of the stack, and the faults that kill them.</summary>
public enum StackPart { Service, Network, Chaincode }

/// <summary>What a round SIGKILLs: one part, or all of them together.</summary>
public enum Fault { Service, Network, Chaincode, All }
