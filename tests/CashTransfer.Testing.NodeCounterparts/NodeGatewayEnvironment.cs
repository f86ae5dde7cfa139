namespace CashTransfer.Testing.NodeCounterparts;

/// <summary>
/// The settings by which the Node client scripts (conformance/gateway-connection.js and the scripts built on it) connect
/// @hyperledger/fabric-gateway to one peer over TLS as one user, passed to them as environment variables.
/// </summary>
/// <param name="PeerAddress">host:port of the peer's gateway service.</param>
/// <param name="TlsRootCertFile">PEM file of the CA that signed the peer's TLS certificate.</param>
/// <param name="ServerName">The host name the peer's TLS certificate carries.</param>
/// <param name="MspId">The user's organisation.</param>
/// <param name="CertificateFile">The user's signing certificate (PEM).</param>
/// <param name="PrivateKeyFile">The user's private key (PEM).</param>
/// <param name="Channel">The channel the script uses.</param>
/// <param name="Chaincode">The chaincode the script calls.</param>
public sealed record NodeGatewayEnvironment(
    string PeerAddress, string TlsRootCertFile, string ServerName, string MspId, string CertificateFile, string PrivateKeyFile, string Channel, string Chaincode)
{
    /// <summary>The variables, with room for a script's own (add to the dictionary returned).</summary>
    public Dictionary<string, string> ToVariables() => new()
    {
        ["PEER_ADDRESS"] = PeerAddress,
        ["TLS_ROOT_CERT"] = TlsRootCertFile,
        ["SERVER_NAME"] = ServerName,
        ["MSP_ID"] = MspId,
        ["CERT_PATH"] = CertificateFile,
        ["KEY_PATH"] = PrivateKeyFile,
        ["CHANNEL"] = Channel,
        ["CHAINCODE"] = Chaincode,
    };
}
