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

    // Every transient entry becomes a private key with its value, all in one transaction.
    async PutPrivateEntries(ctx, collection) {
        const entries = [...ctx.stub.getTransient().entries()];
        for (const [key, value] of entries) {
            await ctx.stub.putPrivateData(collection, key, value);
        }
        return String(entries.length);
    }

    async PutPrivateComposite(ctx, collection, objectType, first, second) {
        const value = ctx.stub.getTransient().get('value');
        if (!value) {
            throw new Error("the transient map has no 'value'");
        }
        await ctx.stub.putPrivateData(collection, ctx.stub.createCompositeKey(objectType, [first, second]), value);
        return 'stored';
    }

    async RangePrivate(ctx, collection, startKey, endKey) {
        return JSON.stringify(await collect(ctx.stub.getPrivateDataByRange(collection, startKey, endKey)));
    }

    async PartialPrivate(ctx, collection, objectType, first) {
        const attributes = first === '' ? [] : [first];
        return JSON.stringify(await collect(ctx.stub.getPrivateDataByPartialCompositeKey(collection, objectType, attributes)));
    }

    // Writes a key, then reads it back in the same transaction: a transaction does not see its own writes.
    async PutThenGetPrivate(ctx, collection, key) {
        await ctx.stub.putPrivateData(collection, key, Buffer.from('written in this transaction'));
        return Buffer.from(await ctx.stub.getPrivateData(collection, key)).toString('utf8');
    }

    // Writes, then queries a private range: Fabric refuses private queries in a transaction that writes.
    async PutThenRangePrivate(ctx, collection, key, startKey, endKey) {
        await ctx.stub.putPrivateData(collection, key, Buffer.from('written in this transaction'));
        return JSON.stringify(await collect(ctx.stub.getPrivateDataByRange(collection, startKey, endKey)));
    }

    // Queries a private range, then writes: refused too.
    async RangeThenPutPrivate(ctx, collection, key, startKey, endKey) {
        const entries = await collect(ctx.stub.getPrivateDataByRange(collection, startKey, endKey));
        await ctx.stub.putPrivateData(collection, key, Buffer.from('written after a query'));
        return JSON.stringify(entries);
    }
}

async function collect(results) {
    const entries = [];
    for await (const { key, value } of results) {
        entries.push({ key, value: Buffer.from(value).toString('utf8') });
    }
    return entries;
}

module.exports = PrivateDataContract;
