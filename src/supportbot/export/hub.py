"""Upload the merged folder to the Hugging Face hub, or with dry_run say exactly what would go.

The token comes from the environment (HF_TOKEN) or `hf auth login`'s store, read by huggingface_hub
itself: it is never passed, printed or logged here.
"""

from __future__ import annotations

import logging
from pathlib import Path

from supportbot.run.folders import MARKER

log = logging.getLogger(__name__)

IGNORE = [MARKER]  # supportbot's completion marker is for local readers, not for the hub


def upload_list(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.rglob("*")) if p.is_file() and p.name not in IGNORE]


def push(folder: Path, repo_id: str, *, dry_run: bool, path_in_repo: str = "") -> list[str]:
    """Upload `folder` to the model repository `repo_id` (private), under `path_in_repo`; returns the files' paths
    in the repo."""
    files = upload_list(folder)
    names = [str(Path(path_in_repo) / p.relative_to(folder)) for p in files]
    if dry_run:
        total = sum(p.stat().st_size for p in files)
        log.info("dry run: would create the model repo %s (private) and upload %d files (%.1f MB) from %s:\n  %s",
                 repo_id, len(files), total / 1e6, folder, "\n  ".join(names))
        return names
    from huggingface_hub import HfApi

    api = HfApi()
    api.create_repo(repo_id, repo_type="model", private=True, exist_ok=True)
    api.upload_folder(repo_id=repo_id, folder_path=str(folder), path_in_repo=path_in_repo or None, repo_type="model",
                      ignore_patterns=IGNORE, commit_message=f"supportbot export: {folder.name} and its card")
    log.info("uploaded %d files to https://huggingface.co/%s", len(files), repo_id)
    return names
