'use strict';
// Opens a Gateway connection for one agency's client user from a profile written by
// network/fabric/scripts (see lib/clients.sh).
const crypto = require('node:crypto');
const fs = require('node:fs');
const grpc = require('@grpc/grpc-js');
const { connect, hash, signers } = require('@hyperledger/fabric-gateway');

function readProfile(path) {
    const profile = JSON.parse(fs.readFileSync(path, 'utf8'));
    for (const field of ['mspId', 'channel', 'peerEndpoint', 'tlsRootCertPath', 'certificatePath', 'privateKeyPath']) {
        if (!profile[field]) {
            throw new Error(`${path}: missing "${field}"`);
        }
    }
    return profile;
}

function openGateway(profilePath) {
    const profile = readProfile(profilePath);
    const client = new grpc.Client(
        profile.peerEndpoint,
        grpc.credentials.createSsl(fs.readFileSync(profile.tlsRootCertPath)),
        // The peers' TLS certificates name localhost too; TLS server names may not be IP addresses.
        { 'grpc.ssl_target_name_override': 'localhost' },
    );
    const gateway = connect({
        client,
        identity: { mspId: profile.mspId, credentials: fs.readFileSync(profile.certificatePath) },
        signer: signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync(profile.privateKeyPath))),
        hash: hash.sha256,
        evaluateOptions: () => ({ deadline: Date.now() + 10000 }),
        endorseOptions: () => ({ deadline: Date.now() + 30000 }),
        submitOptions: () => ({ deadline: Date.now() + 10000 }),
        commitStatusOptions: () => ({ deadline: Date.now() + 60000 }),
    });
    return {
        profile,
        gateway,
        network: gateway.getNetwork(profile.channel),
        close() {
            gateway.close();
            client.close();
        },
    };
}

module.exports = { openGateway, readProfile };
