"""One quick question to the Hugging Face hub before anything downloads: can this machine read the model and data?

    check_hub(cfg)   # a RunConfig: one request per hub repository it uses, HUB_PROBE_TIMEOUT seconds each, no retry

Without it, an unreachable hub is found by transformers' and datasets' downloaders, which retry with
back-off: 45-53 s and ~20 warnings before the error. The probe asks the hub's auth-check endpoint once,
which answers the three questions that matter: reachable, the repository exists, and this user may read it
(a gated repository whose licence was not accepted says so). It is skipped where nothing is fetched from
the hub: HF_HUB_OFFLINE=1 (only the cache is used), a local model.path, a GGUF source, data.path or a
builtin data set. Server errors (5xx, rate limits) are warned about, not fatal: the downloads' own retries
are there for them. An unreachable hub is fatal unless every repository the run reads is in the hub cache:
then the run goes on offline, as transformers itself would after its retries, without the wait.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Optional

from supportbot.config import RunConfig
from supportbot.errors import DataError, ModelSourceError, SupportbotError

log = logging.getLogger(__name__)

HUB_PROBE_TIMEOUT = 5.0  # seconds: a hub that answers at all answers auth-check in well under one
_TRUE = {"1", "ON", "YES", "TRUE"}  # huggingface_hub's own reading of boolean environment variables


def hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").upper() in _TRUE


def hub_repositories(cfg: RunConfig) -> list[tuple[str, str, str]]:
    """(kind, repo id, config key) of each hub repository the run would read; a local model.path that is
    missing is refused here, since it would otherwise be sent to the hub as a repository name."""
    repositories = []
    model_path = cfg.model.path
    if cfg.model.gguf is None and model_path is not None and not Path(model_path).expanduser().exists():
        if model_path.startswith(("/", ".", "~")):
            raise ModelSourceError(
                f"model.path={model_path!r} is not a folder on this machine (and a path is not a hub id such as "
                "meta-llama/Llama-3.2-3B-Instruct). Point it at the folder holding config.json, the weights and the "
                "tokenizer, or at a hub id; model.weights=random builds the architecture without any download."
            )
        repositories.append(("model", model_path, "model.path"))
    if cfg.data.path is None and cfg.data.builtin is None and cfg.data.hub_id is not None:
        repositories.append(("dataset", cfg.data.hub_id, "data.hub_id"))
    return repositories


def check_hub(cfg: RunConfig, timeout: float = HUB_PROBE_TIMEOUT, endpoint: Optional[str] = None) -> list[str]:
    """Probe every hub repository the run reads; returns a line per repository for the plan."""
    repositories = hub_repositories(cfg)
    if hub_offline():
        return [f"{key}={repo!r}: not checked (HF_HUB_OFFLINE=1: the cache only)" for _, repo, key in repositories]
    for kind, repo, key in repositories:
        try:
            probe(kind, repo, key, timeout, endpoint)
        except HubUnreachable as unreachable_hub:
            if not all(_cached(kind, repo) for kind, repo, _ in repositories):
                raise
            # Everything is in the cache: go on offline, as transformers would after its minute of retries.
            go_offline()
            log.warning("hub: %s; every repository this run reads is in the cache, so it goes on offline "
                        "(HF_HUB_OFFLINE=1 says so up front)", str(unreachable_hub).split(". Offline?")[0])
            return [f"{key}={repo!r}: hub unreachable, the cached copy is used" for _, repo, key in repositories]
    return [f"{key}={repo!r}: readable on the hub" for _, repo, key in repositories]


class HubUnreachable(ModelSourceError, DataError):
    """The hub did not answer the probe (offline, a firewall, a wrong HF_ENDPOINT)."""


def _cached(kind: str, repo: str) -> bool:
    """Whether the hub cache holds a snapshot of the repository (huggingface_hub's documented cache layout)."""
    from huggingface_hub import constants

    snapshots = Path(constants.HF_HUB_CACHE) / f"{kind}s--{repo.replace('/', '--')}" / "snapshots"
    return snapshots.is_dir() and any(snapshots.iterdir())


def go_offline() -> None:
    """HF_HUB_OFFLINE=1 for the rest of this process: the variable for datasets and transformers, imported later,
    and huggingface_hub's constant, which was read when it was imported."""
    from huggingface_hub import constants

    os.environ["HF_HUB_OFFLINE"] = "1"
    constants.HF_HUB_OFFLINE = True


def probe(kind: str, repo: str, key: str, timeout: float = HUB_PROBE_TIMEOUT, endpoint: Optional[str] = None) -> None:
    """One GET of /api/{kind}s/{repo}/auth-check, `timeout` seconds, no retry. Raises with the fix when the hub
    cannot be reached, the repository is not there, or it is gated for this user."""
    from huggingface_hub import constants
    from huggingface_hub.utils import (
        GatedRepoError,
        HfHubHTTPError,
        RepositoryNotFoundError,
        build_hf_headers,
        get_session,
        hf_raise_for_status,
    )

    endpoint = (endpoint or constants.ENDPOINT).rstrip("/")
    error = ModelSourceError if kind == "model" else DataError
    page = f"https://huggingface.co/{'datasets/' if kind == 'dataset' else ''}{repo}"
    try:
        # get_session(), not HfApi().auth_check(): the latter takes no timeout, and the shared client has none.
        response = get_session().get(f"{endpoint}/api/{kind}s/{repo}/auth-check", headers=build_hf_headers(),
                                     timeout=timeout)
        hf_raise_for_status(response)
    except GatedRepoError:
        raise error(
            f"{key}={repo!r} is gated and this machine may not read it: accept its licence at {page}, then log in "
            f"(`hf auth login`, or set HF_TOKEN in the environment). Or point at a local copy: {_local_fix(kind)}."
        ) from None
    except RepositoryNotFoundError:
        raise error(
            f"{key}={repo!r} is not on the hub {endpoint} (or it is private and this machine is not logged in: "
            f"`hf auth login`). Check the spelling at {page}, or point at a local copy: {_local_fix(kind)}."
        ) from None
    except HfHubHTTPError as exc:  # the hub is there but failing (5xx, 429): the downloads retry these themselves
        log.warning("hub: %s=%r could not be checked (%s); going on, the download will retry", key, repo,
                    str(exc).splitlines()[0])
    except SupportbotError:
        raise
    except Exception as exc:  # noqa: BLE001 - the transport's errors (requests, httpx) change with the version
        raise unreachable(endpoint, key, repo, timeout, exc) from None


def unreachable(endpoint: str, key: str, repo: str, timeout: float, exc: Exception) -> HubUnreachable:
    reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no answer'}"
    return HubUnreachable(
        f"The Hugging Face hub ({endpoint}) could not be reached within {timeout:g} s to check {key}={repo!r} "
        f"({reason}). Offline? Set HF_HUB_OFFLINE=1 to use only what is already in the cache, or point at local "
        f"copies: model.path=/path/to/folder (config.json, weights, tokenizer) and data.path=/path/to/data.csv "
        "(or data=sample)."
    )


def _local_fix(kind: str) -> str:
    return "model.path=/path/to/folder" if kind == "model" else "data.path=/path/to/data.csv (or data=sample)"
