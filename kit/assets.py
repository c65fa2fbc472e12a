"""Find the kit's asset folders (templates, static, forms, knowledge_base).

In a wheel they are packaged under `kit/_assets/`; in a checkout (including an editable
install, where hatchling's copy in site-packages is not what `import kit` loads) they sit
at the repository root. The packaged copy wins when present.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
NAMES = ("templates", "static", "forms", "knowledge_base")


def find(name: str) -> Path:
    """Return the folder holding the named asset set."""
    if name not in NAMES:
        raise ValueError(f"unknown asset folder {name!r}")
    packaged = PACKAGE_DIR / "_assets" / name
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / name
