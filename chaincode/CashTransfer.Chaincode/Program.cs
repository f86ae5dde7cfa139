using CashTransfer.Chaincode;
using Fabric.Shim.Server;

// Chaincode as a service: the peer dials this server (CHAINCODE_SERVER_ADDRESS, CHAINCODE_ID, TLS variables).
return await ChaincodeServer.RunAsync(args, CashTransferContracts.All());
