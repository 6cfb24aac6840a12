// These tests train models and share artifacts/ files; one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
