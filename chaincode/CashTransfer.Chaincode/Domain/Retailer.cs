using System.Text.Json.Serialization;

namespace CashTransfer.Chaincode.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<ParticipantStatus>))]
public enum ParticipantStatus { Active, Suspended }

/// <summary>A shop registered by an agency, with the categories it sells. Only a code is stored: no owner names.</summary>
public sealed record Retailer(string RetailerId, string RegisteredBy, IReadOnlyList<string> Categories, ParticipantStatus Status);

public sealed record RetailerRegistration(string RetailerId, IReadOnlyList<string> Categories);

/// <summary>
/// A point-of-sale terminal of a retailer and the ECDSA P-256 public key (PEM, SubjectPublicKeyInfo) that signs
/// its receipts. A key rotation replaces the key: receipts signed with the old key are refused afterwards, so a
/// terminal should sync its journal before its key is rotated.
/// </summary>
public sealed record Terminal(string TerminalId, string RetailerId, string PublicKeyPem, int KeyVersion, ParticipantStatus Status, string RegisteredBy);

public sealed record TerminalRegistration(string TerminalId, string RetailerId, string PublicKeyPem);
