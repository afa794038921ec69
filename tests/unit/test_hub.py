"""The hub probe: one request, no retry, and a message with the fix for offline, gated and missing repositories.

A local HTTP server stands in for the hub and counts what it is asked; nothing here reaches the network."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from helpers import compose_config
from supportbot.errors import DataError, ModelSourceError
from supportbot.hub import check_hub, hub_repositories, probe


@pytest.fixture
def fake_hub():
    """start(status, headers, delay) -> (endpoint, list of request paths)."""
    servers = []

    def start(status: int = 200, headers: dict | None = None, delay: float = 0.0):
        requests: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                requests.append(self.path)
                time.sleep(delay)
                try:
                    self.send_response(status)
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                except OSError:  # the probe gave up and closed the connection
                    pass

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}", requests

    yield start
    for server in servers:
        server.shutdown()


def test_a_hub_that_does_not_answer_is_asked_once_and_the_message_says_how_to_go_offline(fake_hub):
    endpoint, requests = fake_hub(delay=2.0)
    with pytest.raises(ModelSourceError) as error:
        probe("model", "meta-llama/Llama-3.2-3B-Instruct", "model.path", timeout=0.2, endpoint=endpoint)
    time.sleep(0.3)  # a retry, if there were one, would have arrived by now
    assert requests == ["/api/models/meta-llama/Llama-3.2-3B-Instruct/auth-check"]
    message = str(error.value)
    assert f"The Hugging Face hub ({endpoint}) could not be reached" in message
    assert "HF_HUB_OFFLINE=1" in message and "model.path=/path/to/folder" in message and "data.path=" in message


def test_a_gated_repository_says_accept_the_licence_and_log_in(fake_hub):
    endpoint, requests = fake_hub(403, {"X-Error-Code": "GatedRepo", "X-Error-Message": "gated"})
    with pytest.raises(ModelSourceError, match="is gated and this machine may not read it: accept its licence at "
                       r"https://huggingface.co/meta-llama/Llama-3.2-3B-Instruct, then log in \(`hf auth login`"):
        probe("model", "meta-llama/Llama-3.2-3B-Instruct", "model.path", endpoint=endpoint)
    assert len(requests) == 1


def test_a_missing_dataset_says_check_the_spelling_or_use_a_local_file(fake_hub):
    endpoint, requests = fake_hub(404, {"X-Error-Code": "RepoNotFound", "X-Error-Message": "not found"})
    with pytest.raises(DataError, match=r"data.hub_id='bitext/nope' is not on the hub .* data.path=/path/to/data.csv"):
        probe("dataset", "bitext/nope", "data.hub_id", endpoint=endpoint)
    assert requests == ["/api/datasets/bitext/nope/auth-check"]


def test_a_failing_hub_is_a_warning_once_not_an_error(fake_hub, caplog):
    endpoint, requests = fake_hub(503)
    probe("model", "org/model", "model.path", endpoint=endpoint)  # the downloads' own retries handle a 503
    assert len(requests) == 1 and "could not be checked" in caplog.text


def test_a_reachable_hub_is_asked_once_per_repository(fake_hub, monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    endpoint, requests = fake_hub(200)
    lines = check_hub(compose_config("model=llama3.2-3b", "data=bitext"), endpoint=endpoint)
    assert requests == ["/api/models/meta-llama/Llama-3.2-3B-Instruct/auth-check",
                        "/api/datasets/bitext/Bitext-customer-support-llm-chatbot-training-dataset/auth-check"]
    assert lines[0] == "model.path='meta-llama/Llama-3.2-3B-Instruct': readable on the hub"


def test_offline_mode_asks_nothing(fake_hub, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    endpoint, requests = fake_hub(200)
    lines = check_hub(compose_config("model=llama3.2-3b", "data=bitext"), endpoint=endpoint)
    assert requests == [] and "not checked (HF_HUB_OFFLINE=1" in lines[0]


def test_local_sources_are_not_hub_repositories(tmp_path):
    assert hub_repositories(compose_config("model=tiny", "data=sample")) == []  # a GGUF, the builtin set
    assert hub_repositories(compose_config(f"model.path={tmp_path}", f"data.path={tmp_path}/x.csv")) == []


def test_a_model_path_that_is_neither_a_folder_nor_a_hub_id_is_refused():
    with pytest.raises(ModelSourceError, match=r"model.path='/models/llama' is not a folder on this machine"):
        hub_repositories(compose_config("model.path=/models/llama"))


def test_an_unreachable_hub_with_everything_cached_goes_on_offline(fake_hub, monkeypatch, tmp_path, caplog):
    """transformers would reach the cached copy after its minute of retries; the probe gets there at once."""
    from huggingface_hub import constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "0")  # recorded, so the test's end restores it
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path))
    endpoint, requests = fake_hub(delay=2.0)
    cfg = compose_config("model=llama3.2-3b", "data=sample")
    with pytest.raises(ModelSourceError, match="could not be reached"):
        check_hub(cfg, timeout=0.2, endpoint=endpoint)  # nothing cached: the message with the fix
    (tmp_path / "models--meta-llama--Llama-3.2-3B-Instruct" / "snapshots" / "abc123").mkdir(parents=True)
    lines = check_hub(cfg, timeout=0.2, endpoint=endpoint)
    assert lines == ["model.path='meta-llama/Llama-3.2-3B-Instruct': hub unreachable, the cached copy is used"]
    assert constants.HF_HUB_OFFLINE and "goes on offline" in caplog.text
    assert len(requests) == 2  # one per call, never a retry
