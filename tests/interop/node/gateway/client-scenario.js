// Runs one Gateway scenario with the official @hyperledger/fabric-gateway client and prints what it saw as JSON.
// Used by Fabric.Client.Tests (NodeClientParityTests) to compare our .NET client with the official one on the
// same scripted Gateway server, and meant for the embedded network's end-to-end tests too.
// Usage: node client-scenario.js <host:port> <mspId> <certPem> <keyPem> [<tlsCaPem> <serverNameOverride>]
// (h2c without the last two arguments, TLS with them).
'use strict';

const fs = require('node:fs');
const crypto = require('node:crypto');
const grpc = require('@grpc/grpc-js');
const { connect, signers } = require('@hyperledger/fabric-gateway');

async function main() {
    const [address, mspId, certPath, keyPath, tlsCaPath, serverNameOverride] = process.argv.slice(2);
    const client = tlsCaPath
        ? new grpc.Client(address, grpc.credentials.createSsl(fs.readFileSync(tlsCaPath)),
            serverNameOverride ? { 'grpc.ssl_target_name_override': serverNameOverride } : {})
        : new grpc.Client(address, grpc.credentials.createInsecure());
    const gateway = connect({
        client,
        identity: { mspId, credentials: fs.readFileSync(certPath) },
        signer: signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync(keyPath))),
    });
    const out = {};
    try {
        const contract = gateway.getNetwork('mychannel').getContract('kvcc');
        out.evaluate = Buffer.from(await contract.evaluateTransaction('get', 'asset2')).toString('utf8');

        const submitted = await contract.submitAsync('put', { arguments: ['asset1', 'v1'] });
        out.submitResult = Buffer.from(submitted.getResult()).toString('utf8');
        const status = await submitted.getStatus();
        out.status = { code: status.code, blockNumber: Number(status.blockNumber), successful: status.successful };

        try {
            await contract.submitTransaction('fail', 'asset2');
            out.endorseError = null;
        } catch (err) {
            out.endorseError = { name: err.name, code: err.code, details: err.details };
        }

        const events = [];
        const stream = await gateway.getNetwork('mychannel').getChaincodeEvents('kvcc', { startBlock: 23n });
        try {
            for await (const e of stream) {
                events.push({ blockNumber: Number(e.blockNumber), transactionId: e.transactionId, eventName: e.eventName,
                    payload: Buffer.from(e.payload).toString('utf8') });
                if (events.length === 2) break;
            }
        } finally {
            stream.close();
        }
        out.events = events;
    } finally {
        gateway.close();
        client.close();
    }
    process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
    process.stderr.write(String(err && err.stack || err));
    process.exit(1);
});
