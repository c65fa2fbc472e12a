"""`kit kb import DIR` and `kit kb export DIR`: articles to and from Markdown files.

(`kit reindex`, which rebuilds the search index, is in `kit.cli`.)
"""

from __future__ import annotations

from pathlib import Path

import click

from kit.db import get_db, now
from kit.kb import files, index
from kit.kb.blueprint import bp

bp.cli.help = "The knowledge base's articles as Markdown files (import, export)."


@bp.cli.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--update", is_flag=True, help="Also overwrite articles that already exist (matched by slug)."
)
def import_command(folder: Path, update: bool) -> None:
    """Import the articles in FOLDER (*.md with front matter)."""
    db = get_db()
    changed = files.import_folder(db, folder, None, now(), update=update)
    if changed:
        index.write_articles(
            index.open_index(index.index_dir(), db), db, changed, timeout=index.WRITER_TIMEOUT
        )
    click.echo(f"Imported {len(changed)} article(s).")


@bp.cli.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def export_command(folder: Path) -> None:
    """Write every article to FOLDER as <slug>.md."""
    paths = files.export_folder(get_db(), folder)
    click.echo(f"Exported {len(paths)} article(s) to {folder}.")
