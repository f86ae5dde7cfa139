'use strict';
// The same transactions as benchmarks/Fabric.Shim.Benchmarks/ShimBenchContract.cs, written with the official
// Node contract API, so the benchmark compares the two shims doing the same stub round trips. Keys, values and
// result strings are built the same way on both sides; the benchmark asserts the results match before timing.
const { Contract } = require('fabric-contract-api');

const key = (prefix, i) => prefix + String(i).padStart(5, '0');
const value = (prefix, i, size) => `${key(prefix, i)}:`.padEnd(size, 'x');

class ShimBenchContract extends Contract {
    constructor() {
        super('ShimBench');
    }

    /** Writes count keys prefix00000.. of size bytes each (run once, submitted, before timing). */
    async Seed(ctx, prefix, count, size) {
        const n = Number.parseInt(count, 10);
        for (let i = 0; i < n; i++) {
            await ctx.stub.putState(key(prefix, i), Buffer.from(value(prefix, i, Number.parseInt(size, 10))));
        }
        return `seeded=${n}`;
    }

    /** No stub call: the fixed cost of one transaction through the shim. */
    async Ping(ctx) {
        return 'pong';
    }

    /** count GET_STATE then count PUT_STATE round trips: reads each key and writes its value back. */
    async ReadWrite(ctx, prefix, count) {
        const n = Number.parseInt(count, 10);
        let found = 0;
        let bytes = 0;
        const values = [];
        for (let i = 0; i < n; i++) {
            const v = await ctx.stub.getState(key(prefix, i));
            if (v.length > 0) found++;
            bytes += v.length;
            values.push(v);
        }
        for (let i = 0; i < n; i++) {
            await ctx.stub.putState(key(prefix, i), values[i]);
        }
        return `found=${found} bytes=${bytes}`;
    }

    /** Reads the whole prefix range page by page (GET_STATE_BY_RANGE + QUERY_STATE_CLOSE per page). */
    async Range(ctx, prefix, pageSize) {
        const size = Number.parseInt(pageSize, 10);
        let bookmark = '';
        let keys = 0;
        let pages = 0;
        let bytes = 0;
        let last = '';
        for (;;) {
            const { iterator, metadata } = await ctx.stub.getStateByRangeWithPagination(prefix, prefix + '~', size, bookmark);
            pages++;
            for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
                keys++;
                bytes += r.value.value.length;
                last = r.value.key;
            }
            await iterator.close();
            bookmark = metadata.bookmark;
            if (metadata.fetchedRecordsCount < size || bookmark === '') break;
        }
        return `keys=${keys} pages=${pages} bytes=${bytes} last=${last}`;
    }
}

module.exports.contracts = [ShimBenchContract];
