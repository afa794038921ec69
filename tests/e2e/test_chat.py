"""evaluate.py mode=chat on a tiny trained run, as a person uses it: answers stream, Ctrl-C stops an answer,
an empty line asks again, Ctrl-C at the prompt ends the chat cleanly. And the adapter it talks to: it names a
base others can load, keeps this machine's source beside it, and carries a real card."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

from helpers import ROOT


class Chat:
    """evaluate.py mode=chat in a subprocess, its stdout read as it comes."""

    def __init__(self, run, *overrides):
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "TOKENIZERS_PARALLELISM": "false"}
        self.process = subprocess.Popen([sys.executable, "evaluate.py", f"run={run}", "mode=chat", *overrides],
                                        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, bufsize=0)
        self.out = ""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while piece := self.process.stdout.read(1):
            self.out += piece

    def wait_for(self, text, start=0, timeout=240):
        deadline = time.time() + timeout
        while (found := self.out.find(text, start)) < 0:
            assert time.time() < deadline and self.process.poll() is None, \
                f"no {text!r} in stdout:\n{self.out[-2000:]}\nstderr:\n{self.process.stderr.read()[-3000:]}"
            time.sleep(0.05)
        return found + len(text)

    def send(self, line):
        self.process.stdin.write(line)
        self.process.stdin.flush()


def test_answers_stream_ctrl_c_stops_one_and_ctrl_c_at_the_prompt_ends(tiny_run):
    # Random weights rarely say end-of-turn: without Ctrl-C this answer runs on for thousands of tokens.
    chat = Chat(tiny_run, "eval.max_new_tokens=2000", "company=acme")
    try:
        at = chat.wait_for("Ctrl-C stops an answer")
        at = chat.wait_for("you> ", at)
        chat.send("where is order 77120\n")
        at = chat.wait_for("bot> ", at)
        while len(chat.out) < at + 12:  # tokens arrive while the answer is still being generated
            assert chat.process.poll() is None and "[stopped]" not in chat.out
            time.sleep(0.02)
        chat.process.send_signal(signal.SIGINT)
        at = chat.wait_for(" [stopped]\nyou> ", at)
        chat.send("\n")  # an empty line asks again, it does not end the chat
        chat.wait_for("you> ", at)
        chat.process.send_signal(signal.SIGINT)
        assert chat.process.wait(timeout=60) == 0
        stderr = chat.process.stderr.read()
        assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr[-3000:]
        assert chat.out.count("bot> ") == 1
    finally:
        if chat.process.poll() is None:
            chat.process.kill()


def test_end_of_input_ends_the_chat(tiny_run):
    result = subprocess.run([sys.executable, "evaluate.py", f"run={tiny_run}", "mode=chat", "eval.max_new_tokens=4"],
                            cwd=ROOT, input="\nhello\n", capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.stdout.count("bot> ") == 1 and result.stdout.endswith("you> \n")


def test_the_adapter_names_a_loadable_base_and_has_a_real_card(tiny_run):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    from supportbot.model.sources import BASE_RECORD, local_base

    adapter = tiny_run / "adapter"
    record = json.loads((adapter / BASE_RECORD).read_text())
    named = json.loads((adapter / "adapter_config.json").read_text())["base_model_name_or_path"]
    # tiny has random weights: only this machine's folder holds them, so that is what it names.
    assert record["weights"] == "random" and named == record["base_model_name_or_path"] == record["local_source"]
    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(local_base(adapter)), adapter)
    assert any("lora_" in name for name, _ in model.named_parameters())
    card = (adapter / "README.md").read_text()
    assert "[More Information Needed]" not in card
    for text in ("library_name: peft", "## Base model", "## Data", "## Training recipe", "## How to load",
                 "Final validation loss", "4 optimizer steps"):
        assert text in card, text
