"""Peak RSS of one loss forward+backward: the old checkpointed chunks vs the new fused chunks (CPU, fp32)."""
import resource, sys, time, importlib.util
import torch
torch.set_num_threads(2)
which, positions = sys.argv[1], int(sys.argv[2])
if which == "old":
    spec = importlib.util.spec_from_file_location("old", "/tmp/lossmem/losses_old.py"); mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
else:
    from supportbot.model import losses as mod
torch.manual_seed(0)
vocab, width = 128_256, 3072
weight = torch.randn(vocab, width).mul_(0.02)
hidden = torch.randn(positions, width, requires_grad=True)
targets = torch.randint(0, vocab, (positions,))
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
began = time.time()
loss = mod.chunked_loss_sum(hidden, weight, targets)
loss.backward()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{which} positions={positions} loss={loss.item():.4f} grad_norm={hidden.grad.norm():.4f} "
      f"peak_over_inputs_gb={(peak - base) / 2**20:.2f} seconds={time.time() - began:.1f}")
