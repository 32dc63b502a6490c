"""A directory as the bucket. Every write lands atomically and emits an S3 "Object Created" event."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from functions.local_runtime.bus import LocalEventBus, object_created
from functions.shared.ports import ObjectInfo


class LocalObjectStore:
    def __init__(self, root: Path, bus: LocalEventBus, *, bucket: str, region: str, account: str) -> None:
        self.root = root
        self.bucket = bucket
        self._bus = bus
        self._region = region
        self._account = account
        root.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"key escapes the bucket: {key!r}")
        return path

    def put_bytes(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> ObjectInfo:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        info = ObjectInfo(key=key, size=len(data), etag=hashlib.md5(data, usedforsecurity=False).hexdigest())
        self._bus.publish(
            object_created(self.bucket, key, info.size, info.etag, region=self._region, account=self._account)
        )
        return info

    def get_bytes(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError as exc:
            raise KeyError(key) from exc

    def head(self, key: str) -> ObjectInfo | None:
        path = self.path(key)
        if not path.is_file():
            return None
        data = path.read_bytes()
        return ObjectInfo(key=key, size=len(data), etag=hashlib.md5(data, usedforsecurity=False).hexdigest())

    def list_keys(self, prefix: str) -> list[str]:
        folder = self.root / prefix.rpartition("/")[0]
        if not folder.is_dir():
            return []
        keys = (
            p.relative_to(self.root).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith(".tmp-")
        )
        return sorted(k for k in keys if k.startswith(prefix))

    def download_prefix(self, prefix: str, dest: Path) -> Path:
        """The local bucket is already files: copy nothing when the prefix is a folder."""
        if prefix.endswith("/"):
            folder = self.path(prefix.rstrip("/"))
            if folder.is_dir():
                return folder
        for key in self.list_keys(prefix):
            target = dest / key[len(prefix) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.path(key), target)
        return dest
