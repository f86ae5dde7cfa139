using Fabric.Protocol.Identity;
using Fabric.Protocol.Msp;

namespace CashTransfer.Audit.Ledger.Channel;

/// <summary>An identity that a channel organisation's MSP accepts, with the role its certificate gives it.</summary>
public sealed record ChannelMember(string MspId, X509Identity Identity, NodeOuRole? Role, bool IsAdmin);
