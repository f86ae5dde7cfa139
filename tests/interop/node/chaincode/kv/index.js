'use strict';
// A key-value contract on the official Node contract API, run with `fabric-chaincode-node server` (CCaaS).
const { Contract } = require('fabric-contract-api');

class KvContract extends Contract {
    constructor() { super('kv'); }

    async put(ctx, key, value) {
        await ctx.stub.putState(key, Buffer.from(value));
        ctx.stub.setEvent('Put', Buffer.from(JSON.stringify({ key, value })));
        return value;
    }

    async get(ctx, key) {
        const value = await ctx.stub.getState(key);
        if (!value || value.length === 0) throw new Error(`${key} does not exist`);
        return value.toString();
    }

    async incr(ctx, key) {
        const current = await ctx.stub.getState(key);
        const next = (current && current.length ? parseInt(current.toString(), 10) : 0) + 1;
        await ctx.stub.putState(key, Buffer.from(String(next)));
        return String(next);
    }

    async count(ctx, start, end) {
        let n = 0;
        const iterator = await ctx.stub.getStateByRange(start, end);
        for (let r = await iterator.next(); !r.done; r = await iterator.next()) n++;
        await iterator.close();
        return String(n);
    }
}

module.exports.contracts = [KvContract];
