'use strict';
// The same functions as the C# conformance contract, written with the official Node contract API.
// Started by the C# test: fabric-chaincode-node server --chaincode-address 127.0.0.1:<port> --chaincode-id <id>
const { Contract } = require('fabric-contract-api');

class CounterContract extends Contract {
    constructor() {
        super('CounterContract');
    }

    async Put(ctx, key, value) {
        await ctx.stub.putState(key, Buffer.from(value));
        return value;
    }

    async Get(ctx, key) {
        return Buffer.from(await ctx.stub.getState(key)).toString('utf8');
    }

    async Increment(ctx, key) {
        const current = Buffer.from(await ctx.stub.getState(key)).toString('utf8');
        const next = String((current === '' ? 0 : Number.parseInt(current, 10)) + 1);
        await ctx.stub.putState(key, Buffer.from(next));
        return next;
    }

    async Fail(ctx, message) {
        throw new Error(message);
    }

    async Emit(ctx, name, payload) {
        ctx.stub.setEvent(name, Buffer.from(payload));
        return payload;
    }
}

module.exports.contracts = [CounterContract, require('./private-contract')];
