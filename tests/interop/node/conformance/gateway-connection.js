'use strict';
// Connects @hyperledger/fabric-gateway to one peer from the settings the C# test passes in the environment:
// PEER_ADDRESS, TLS_ROOT_CERT, SERVER_NAME, MSP_ID, CERT_PATH, KEY_PATH (User1's signcert and priv_sk).
const crypto = require('crypto');
const fs = require('fs');
const grpc = require('@grpc/grpc-js');
const { connect, signers } = require('@hyperledger/fabric-gateway');

function setting(name) {
    const value = process.env[name];
    if (!value) throw new Error(`environment variable ${name} is not set`);
    return value;
}

function connectGateway() {
    const client = new grpc.Client(
        setting('PEER_ADDRESS'),
        grpc.credentials.createSsl(fs.readFileSync(setting('TLS_ROOT_CERT'))),
        { 'grpc.ssl_target_name_override': setting('SERVER_NAME') });
    const gateway = connect({
        client,
        identity: { mspId: setting('MSP_ID'), credentials: fs.readFileSync(setting('CERT_PATH')) },
        signer: signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync(setting('KEY_PATH')))),
        evaluateOptions: () => ({ deadline: Date.now() + 15000 }),
        endorseOptions: () => ({ deadline: Date.now() + 30000 }),
        submitOptions: () => ({ deadline: Date.now() + 15000 }),
        commitStatusOptions: () => ({ deadline: Date.now() + 60000 }),
    });
    return { client, gateway };
}

/** Runs fn(gateway), prints its result as one JSON line, and closes everything. */
async function runWithGateway(fn) {
    const { client, gateway } = connectGateway();
    try {
        const result = await fn(gateway);
        process.stdout.write(JSON.stringify(result, (_, v) => (typeof v === 'bigint' ? v.toString() : v)) + '\n');
    } finally {
        gateway.close();
        client.close();
    }
}

const text = (bytes) => Buffer.from(bytes).toString('utf8');

module.exports = { setting, runWithGateway, text };
