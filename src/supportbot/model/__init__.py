"""The model: where its weights come from (sources), how it is loaded in 4-bit with its adapter (build), and
the loss that meets its vocabulary (losses)."""
