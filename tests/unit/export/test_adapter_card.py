"""The adapter's README.md (card.adapter_card): a real card in place of PEFT's template, made of the pieces of
the merged model's card, with how to load the adapter."""

from __future__ import annotations

from helpers import compose_config
from supportbot.export.card import DATA_LICENCE, SAMPLE_LICENCE, adapter_card

METRICS = {"global_step": 120, "precision": "bf16", "device": "cuda", "eval_loss": 0.81, "train_rows": 900,
           "validation_rows": 50}
REPORT = {"source": "hub:bitext/Bitext-customer-support-llm-chatbot-training-dataset",
          "split": {"method": "family", "similarity": 0.8}, "split_hash": "abc123"}


def test_the_adapter_card_says_what_was_trained_and_how_to_load_it():
    cfg = compose_config("model=smollm2-135m", "lora.r=32")
    card = adapter_card(cfg, REPORT, METRICS, "smollm2-bitext", "HuggingFaceTB/SmolLM2-135M-Instruct")
    assert card.startswith("---\nlicense: apache-2.0\nbase_model: HuggingFaceTB/SmolLM2-135M-Instruct\n")
    for text in ("library_name: peft", "# smollm2-bitext", "## Base model", "## Data", "## Training recipe",
                 "## How to load", DATA_LICENCE, "CDLA-Sharing-1.0", "(c) Bitext Innovations, 2024", "`abc123`",
                 "r=32", "120 optimizer steps", "900 training", 'AutoModelForCausalLM.from_pretrained("HuggingFaceTB/',
                 "PeftModel.from_pretrained(base", "base_source.json", "SmolLM2-135M-Instruct.Q4_1.gguf"):
        assert text in card, text
    assert "[More Information Needed]" not in card


def test_the_data_licence_is_bitext_only_for_bitext_data():
    sample = adapter_card(compose_config("model=tiny", "data=sample"), {"source": "builtin:sample"}, {}, "t", "/x")
    assert SAMPLE_LICENCE in sample and "Bitext Innovations" not in sample
    assert "random weights of the tiny architecture" in sample and "base_model:" not in sample
    own = adapter_card(compose_config("data=sample", "data.builtin=null", "data.path=/data/tickets.csv",
                                      "data.name=tickets"), {"source": "/data/tickets.csv"}, {}, "t", "/x")
    assert "that of /data/tickets.csv" in own and "Bitext Innovations" not in own


def test_the_card_gives_the_vllm_command_the_adapters_rank_needs():
    base = "HuggingFaceTB/SmolLM2-135M-Instruct"
    card = adapter_card(compose_config("model=smollm2-135m"), REPORT, METRICS, "t", base)
    assert ("vllm serve HuggingFaceTB/SmolLM2-135M-Instruct --enable-lora --lora-modules support=path/to/adapter\n"
            in card) and "refuse" not in card
    wide = adapter_card(compose_config("model=smollm2-135m", "lora.r=48"), REPORT, METRICS, "t", "b")
    assert "--lora-modules support=path/to/adapter --max-lora-rank 64" in wide  # vLLM's default limit is 16
    dora = adapter_card(compose_config("model=smollm2-135m", "lora.use_dora=true"), REPORT, METRICS, "t", "b")
    assert "vLLM would refuse it: DoRA" in dora
