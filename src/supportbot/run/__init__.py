"""What a run leaves behind and how it reports: its folder (folders), metrics.json and TensorBoard's HParams
(metrics), console and log levels (logs), the step profiler (profiling) and per-rank evidence (rank_evidence)."""
