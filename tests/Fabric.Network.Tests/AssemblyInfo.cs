// The end-to-end classes each run a network of several Kestrel servers and a chaincode server; on this
// two-core machine running them one class at a time keeps the suite's timing predictable.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
