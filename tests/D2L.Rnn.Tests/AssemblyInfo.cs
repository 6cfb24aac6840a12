// Training tests each use both cores; running them side by side only makes every one slower and noisier.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
