// Two cores shared by several sessions: test classes run one after another, on networks they share.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
