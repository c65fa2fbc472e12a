"""Articles as Markdown files with front matter: the starter knowledge base, import, export.

One file per article. The front matter holds the fields (slug, title, audience, status,
categories by name, equipment types, error messages, tags, last reviewed); the body holds
`## Symptoms`, `## Cause` and `## Fix` sections. Files are matched to articles by slug, so
importing the starter set twice adds nothing, and a school's own edits are never
overwritten unless it asks (`update=True`).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import frontmatter
from sqlite_utils import Database

from kit.directory import store as directory
from kit.kb import queries, store

SECTION = re.compile(r"^##\s+(Symptoms|Cause|Fix)\s*$", re.MULTILINE | re.IGNORECASE)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def sections(body: str) -> dict[str, str]:
    """The Symptoms, Cause and Fix sections of a body (text before them counts as symptoms)."""
    parts = SECTION.split(body)
    found = {"symptoms": parts[0].strip(), "cause": "", "fix": ""}
    for name, text in zip(parts[1::2], parts[2::2], strict=True):
        found[name.lower()] = text.strip()
    return found


def read_article(db: Database, path: Path) -> tuple[str, str, store.ArticleInput]:
    """(slug, status, article) from one file; unknown category names are skipped."""
    try:
        post = frontmatter.load(path)
    except Exception as exc:  # YAML errors come in many classes; name the file at fault
        raise ValueError(f"{path.name}: the front matter cannot be read ({exc})") from exc
    meta = post.metadata
    body = sections(post.content)
    categories = [directory.category_by_name(db, name) for name in _as_list(meta.get("categories"))]
    reviewed = meta.get("last_reviewed")
    data = store.ArticleInput(
        title=str(meta.get("title") or path.stem.replace("-", " ").capitalize()),
        symptoms=body["symptoms"],
        cause=body["cause"],
        fix=body["fix"],
        error_messages=_as_list(meta.get("error_messages")),
        tags=_as_list(meta.get("tags")),
        equipment_types=_as_list(meta.get("equipment_types")),
        category_ids=[c["id"] for c in categories if c],
        audience=str(meta.get("audience") or "technicians"),
        last_reviewed=reviewed.isoformat() if isinstance(reviewed, date) else reviewed,
    )
    slug = store.slugify(str(meta.get("slug") or path.stem))
    status = str(meta.get("status") or "published")
    return slug, status if status in store.STATUSES else "draft", data


def import_folder(
    db: Database, folder: str | Path, user_id: int | None, at: datetime, *, update: bool = False
) -> list[int]:
    """Import every `*.md` in the folder; returns the ids of articles created or changed."""
    changed = []
    for path in sorted(Path(folder).glob("*.md")):
        slug, status, data = read_article(db, path)
        existing = queries.article_id_for_slug(db, slug)
        if existing is None:
            changed.append(
                store.create_article(
                    db,
                    data,
                    user_id=user_id,
                    at=at,
                    slug=slug,
                    status=status,
                    note=f"Imported from {path.name}",
                )
            )
        elif update:
            store.update_article(
                db, existing, data, user_id=user_id, at=at, note=f"Imported from {path.name}"
            )
            changed.append(existing)
    return changed


def load_starter_articles(
    db: Database, folder: str | Path, user_id: int | None, at: datetime
) -> list[int]:
    """Add the starter articles a school does not have yet (by slug); returns new ids.

    The index is not touched: call `kit.kb.index.rebuild_index` afterwards (the next search
    also notices the index is behind and rebuilds it).
    """
    return import_folder(db, folder, user_id, at, update=False)


def write_article(article: dict[str, Any], categories: list[str], folder: Path) -> Path:
    """One article as a file another kit (or this one) can import."""
    meta = {
        "slug": article["slug"],
        "title": article["title"],
        "audience": article["audience"],
        "status": article["status"],
        "categories": categories,
        "equipment_types": article["equipment_list"],
        "error_messages": article["error_list"],
        "tags": article["tag_list"],
        "last_reviewed": article["last_reviewed"] or "",
    }
    body = "\n\n".join(
        f"## {name}\n\n{article[name.lower()]}".rstrip() for name in ("Symptoms", "Cause", "Fix")
    )
    path = folder / f"{article['slug']}.md"
    path.write_text(frontmatter.dumps(frontmatter.Post(body, **meta)) + "\n", encoding="utf-8")
    return path


def export_folder(db: Database, folder: str | Path) -> list[Path]:
    """Write every article to `<slug>.md` in the folder (created if needed)."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for row in queries.index_rows(db):
        article = queries.get_article(db, row["id"])
        paths.append(write_article(article, [c["name"] for c in article["categories"]], target))
    return paths
