'use strict';
// The same private data functions as the C# PrivateDataContract, with the official Node contract API.
const { Contract } = require('fabric-contract-api');

class PrivateDataContract extends Contract {
    constructor() {
        super('PrivateDataContract');
    }

    async PutPrivate(ctx, collection, key) {
        const value = ctx.stub.getTransient().get('value');
        if (!value) {
            throw new Error("the transient map has no 'value'");
        }
        await ctx.stub.putPrivateData(collection, key, value);
        return 'stored';
    }

    async GetPrivate(ctx, collection, key) {
        return Buffer.from(await ctx.stub.getPrivateData(collection, key)).toString('utf8');
    }

    async GetPrivateHash(ctx, collection, key) {
        return Buffer.from(await ctx.stub.getPrivateDataHash(collection, key)).toString('hex');
    }

    async IncrementPrivate(ctx, collection, key) {
        const current = Buffer.from(await ctx.stub.getPrivateData(collection, key)).toString('utf8');
        const next = String((current === '' ? 0 : Number.parseInt(current, 10)) + 1);
        await ctx.stub.putPrivateData(collection, key, Buffer.from(next));
        return next;
    }

    async DeletePrivate(ctx, collection, key) {
        await ctx.stub.deletePrivateData(collection, key);
        return 'deleted';
    }

    async PurgePrivate(ctx, collection, key) {
        await ctx.stub.purgePrivateData(collection, key);
        return 'purged';
    }
}

module.exports = PrivateDataContract;
