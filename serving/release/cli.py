"""`inspections serving diff [OLD] [NEW]` and `inspections serving release [VERSION] --out DIR`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from config import settings
from serving.publish import PublishedVersion, PublishError, current_version, list_versions
from serving.release.diff import changes_markdown, diff_versions
from serving.release.package import ReleaseError, zip_package


def add_release_arguments(add_parser: Callable[..., argparse.ArgumentParser]) -> None:
    """Add the two subcommands with `add_parser` of the `inspections serving` subparsers."""
    diff = add_parser("diff", help="what changed between two versions (default: the previous and the current)")
    diff.add_argument("old", nargs="?", default=None, help="version id (default: the one before NEW)")
    diff.add_argument("new", nargs="?", default=None, help="version id (default: the current version)")
    release = add_parser("release", help="write a version's data package as a zip to publish")
    release.add_argument("version", nargs="?", default=None, help="version id (default: the current version)")
    release.add_argument("--out", required=True, type=Path, help="folder to write the zip into")


def diff_command(args: argparse.Namespace) -> int:
    versions = list_versions(settings.serving_dir())
    new = _find(versions, args.new) if args.new else _current()
    if args.old:
        old = _find(versions, args.old)
    else:
        earlier = [v for v in versions if v.id < new.id]
        if not earlier:
            raise PublishError(f"no version before {new.id} to compare with")
        old = earlier[-1]
    print(changes_markdown(diff_versions(old, new), old, new), end="")
    return 0


def release_command(args: argparse.Namespace) -> int:
    version = _find(list_versions(settings.serving_dir()), args.version) if args.version else _current()
    try:
        target = zip_package(version, args.out)
    except ReleaseError as exc:
        raise PublishError(str(exc)) from exc
    print(f"release of version {version.id} written to {target}")
    return 0


def _current() -> PublishedVersion:
    version = current_version(settings.serving_dir())
    if version is None:
        raise PublishError(f"nothing published in {settings.serving_dir()} yet")
    return version


def _find(versions: list[PublishedVersion], version_id: str) -> PublishedVersion:
    for version in versions:
        if version.id == version_id:
            return version
    known = ", ".join(v.id for v in versions) or "none"
    raise PublishError(f"unknown version {version_id!r}; known: {known}")
