"""The GGUF export's choices: which types exist, which tool makes each, what the Modelfile names, and the refusals
(an unknown type, a K-quant without the quantizer, the converter missing) before anything is loaded."""

from __future__ import annotations

import pytest

from helpers import compose_export
from supportbot.config import GgufExport
from supportbot.errors import ConfigError
from supportbot.export import gguf


@pytest.fixture
def converter_dir(tmp_path):
    """A folder laid out as `make gguf` extracts llama.cpp's converter (the files' content is not read here)."""
    (tmp_path / gguf.CONVERTER).write_text("")
    (tmp_path / "gguf-py").mkdir()
    return tmp_path


def test_the_issue_command_composes():
    cfg = compose_export("format=gguf", "gguf.types=[f16,q8_0,q4_k_m]")
    assert cfg.format == "gguf" and cfg.gguf.types == ["f16", "q8_0", "q4_k_m"] and cfg.gguf.check
    assert cfg.gguf.llama_cpp.endswith("/llama.cpp")  # where the Makefile's LLAMA_CPP_DIR puts it
    assert compose_export("format=all").gguf.types == ["f16", "q8_0", "q4_k_m"]


def test_an_unknown_type_is_refused_with_the_valid_ones():
    with pytest.raises(ConfigError) as caught:
        compose_export("format=gguf", "gguf.types=[f16,q4_0]")
    message = str(caught.value)
    assert "gguf.types='q4_0'" in message and "f16, bf16, q8_0, q6_k, q5_k_m, q4_k_m" in message
    with pytest.raises(ConfigError, match="each type once"):
        GgufExport(types=["f16", "f16"], llama_cpp="x")
    with pytest.raises(ConfigError, match="at least one type"):
        GgufExport(types=[], llama_cpp="x")


def test_a_k_quant_without_the_quantizer_is_refused_with_the_fix(converter_dir, monkeypatch):
    monkeypatch.setattr(gguf, "quantizer_available", lambda: False)
    with pytest.raises(ConfigError) as caught:
        gguf.check_tools(["f16", "q4_k_m", "q5_k_m"], converter_dir, run_check=False)
    message = str(caught.value)
    assert "q4_k_m, q5_k_m" in message and "make gguf" in message and "gguf.types=[f16,q8_0]" in message
    gguf.check_tools(["f16", "q8_0"], converter_dir, run_check=False)  # the converter alone writes these
    with pytest.raises(ConfigError, match="gguf.check=false"):
        gguf.check_tools(["f16"], converter_dir, run_check=True)  # the check runs llama.cpp


def test_a_missing_converter_is_refused_with_the_fix(tmp_path):
    with pytest.raises(ConfigError) as caught:
        gguf.check_tools(["f16"], tmp_path / "nowhere", run_check=False)
    assert "make gguf" in str(caught.value) and "gguf.llama_cpp=" in str(caught.value)


def test_each_type_has_exactly_one_tool():
    for name, spec in gguf.GGUF_TYPES.items():
        assert (spec.outtype is None) != (spec.ftype is None), name
    assert {name for name, spec in gguf.GGUF_TYPES.items() if spec.k_quant} == {"q6_k", "q5_k_m", "q4_k_m"}
    assert not gguf.GGUF_TYPES[gguf.INTERMEDIATE].k_quant


def test_bits_per_weight_follow_llama_cpps_table_and_its_fallback():
    # quantize.cpp's sizes for Llama-3-8B (8.03e9 weights), in GiB: 4.58 (Q4_K_M), 5.33 (Q5_K_M), 7.96 (Q8_0)
    for name, gib in (("q4_k_m", 4.58), ("q5_k_m", 5.33), ("q8_0", 7.96), ("q6_k", 6.14)):
        assert gguf.bits_per_weight(name, 4096) == pytest.approx(gib * 2**30 * 8 / 8.03e9, abs=0.02)
    assert gguf.bits_per_weight("f16", 576) == 16
    assert gguf.bits_per_weight("q4_k_m", 576) == 8.5  # SmolLM2's rows are not 256-wide: Q8_0's bound
    assert gguf.bits_per_weight("q4_k_m", 3072) == 4.90  # Llama-3.2-3B's are


def test_the_modelfile_names_the_most_quantized_type():
    assert gguf.most_quantized(["f16", "q8_0", "q4_k_m"]) == "q4_k_m"
    assert gguf.most_quantized(["f16", "q8_0"]) == "q8_0"
    assert gguf.file_name("q4_k_m") == "model-q4_k_m.gguf"
