using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;

namespace CashTransfer.Local;

/// <summary>The demo's clients of the service: each a <see cref="CashTransferClient"/> signed with the key in the demo's credentials folder.</summary>
public static class DemoClients
{
    /// <summary>A client signing as <paramref name="keyId"/> with the key in <paramref name="keyFile"/> (relative to the demo folder); disposing it disposes the key.</summary>
    public static CashTransferClient Connect(Uri gateway, string dataDirectory, string keyId, string keyFile) =>
        CashTransferClient.Connect(gateway, keyId, DemoAgency.Signer(dataDirectory, keyFile), ownsSigner: true);

    public static CashTransferClient Connect(Uri gateway, string dataDirectory, DemoClient client) => Connect(gateway, dataDirectory, client.KeyId, client.KeyFile);
}
