"""Training: the run's steps in order (pipeline), the checks before anything loads (preflight), the Trainer
(trainer, arguments), whole checkpoints and resume (checkpointing), signals and diverged losses (guard)."""
