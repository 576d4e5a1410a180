"""Find and load the rule files of ``patterns/`` (shipped as package data)."""
from __future__ import annotations

import functools
from pathlib import Path

from .errors import PatternError


def patterns_dir() -> Path:
    """The folder holding the pattern files: the source tree's ``patterns/`` or the installed copy.

    An installed copy ships ``patterns/`` as the data package ``extractor.rules``
    (a different name from this module, so the two never shadow each other).
    """
    src = Path(__file__).resolve().parent.parent / "patterns"
    if src.is_dir():
        return src
    from importlib.resources import files

    return Path(str(files("extractor.rules")))


@functools.lru_cache(maxsize=None)
def load(name: str) -> dict:
    """Load ``patterns/<name>.yaml`` (name may contain a sub-folder: ``figures/objects``)."""
    import yaml

    path = patterns_dir() / f"{name}.yaml"
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when built in
    except FileNotFoundError as exc:
        raise PatternError(f"{path}: pattern file not found") from exc
    except yaml.YAMLError as exc:
        raise PatternError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise PatternError(f"{path}: expected a mapping at top level")
    return data


def all_pattern_files() -> list[Path]:
    """Every YAML rule file, for the test that runs all examples."""
    return sorted(p for p in patterns_dir().rglob("*.yaml"))
