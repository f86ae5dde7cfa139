'use strict';
// Opens a Gateway connection for one agency's client user from a profile written by
// network/fabric/scripts (see lib/clients.sh).
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const { connect, hash, signers } = require('@hyperledger/fabric-gateway');

// The profile's fields are those of Fabric.Client's GatewaySettings; the agency is the file name.
function readProfile(file) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const field of ['peerEndpoint', 'tlsCaCertPath', 'mspId', 'certificatePath', 'privateKeyPath', 'channel']) {
        if (!profile[field]) {
            throw new Error(`${file}: missing "${field}"`);
        }
    }
    const endpoint = new URL(profile.peerEndpoint);
    if (endpoint.protocol !== 'https:') {
        throw new Error(`${file}: peerEndpoint must be https:// (TLS), got ${profile.peerEndpoint}`);
    }
    return { ...profile, agency: path.basename(file, '.json'), hostPort: endpoint.host };
}

function openGateway(profilePath) {
    const profile = readProfile(profilePath);
    const client = new grpc.Client(
        profile.hostPort,
        grpc.credentials.createSsl(fs.readFileSync(profile.tlsCaCertPath)),
        profile.serverNameOverride ? { 'grpc.ssl_target_name_override': profile.serverNameOverride } : {},
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
