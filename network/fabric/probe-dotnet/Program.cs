using Fabric.Probe.Chaincode;
using Fabric.Shim.Server;

// CHAINCODE_SERVER_ADDRESS, CHAINCODE_ID and the CHAINCODE_TLS_* files come from the network scripts.
return await ChaincodeServer.RunAsync(args, new ProbeContract());
