'use strict';
// Probe contract for the real-network test tier. It runs as a chaincode server (CCaaS) through
// `fabric-chaincode-node server`; its packages come from ../../node_modules.
const { Contract } = require('fabric-contract-api');

class ProbeContract extends Contract {
    constructor() {
        super('probe');
    }

    // Writes a value and announces it with a chaincode event.
    async put(ctx, key, value) {
        await ctx.stub.putState(key, Buffer.from(value));
        ctx.stub.setEvent('put', Buffer.from(JSON.stringify({ key, value })));
        return value;
    }

    async get(ctx, key) {
        const value = await ctx.stub.getState(key);
        if (!value || value.length === 0) {
            throw new Error(`no value for key ${key}`);
        }
        return value.toString();
    }

    // Read-modify-write of one key: two of these endorsed on the same state conflict (MVCC).
    async increment(ctx, key) {
        const current = await ctx.stub.getState(key);
        const next = (current && current.length > 0 ? parseInt(current.toString(), 10) : 0) + 1;
        await ctx.stub.putState(key, Buffer.from(String(next)));
        return String(next);
    }

    // Which chaincode package answered: the server's release label (name_sequence).
    async release() {
        return process.env.PROBE_RELEASE || 'unknown';
    }

    // A Fabric attribute of the submitting client's certificate (e.g. cashtransfer.role).
    async attribute(ctx, name) {
        const value = ctx.clientIdentity.getAttributeValue(name);
        if (value === null || value === undefined) {
            throw new Error(`the caller has no attribute ${name}`);
        }
        return value;
    }

    // The MSP id of the submitting client, as the chaincode sees it.
    async whoami(ctx) {
        return ctx.clientIdentity.getMSPID();
    }
}

module.exports.contracts = [ProbeContract];
