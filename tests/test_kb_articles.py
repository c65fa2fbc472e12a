"""Writing, publishing and reading articles; the starter set; drafts from resolved calls."""

from __future__ import annotations

import re

from kb_support import AT, add_article, route_to_service_delivery, titles

from kit.assets import find
from kit.calls import history_store
from kit.calls import store as calls
from kit.kb import drafts, files, queries, store


def _form(**values):
    return {
        "title": "Projector shows No signal",
        "audience": "staff",
        "symptoms": "Blue screen",
        "fix": "1. Press **Source**",
        "error_messages": "No signal",
        **values,
    }


def test_coordinator_writes_an_article_as_a_draft_with_its_first_revision(login, post, db):
    login("coordinator")
    response = post("/kb/new", _form(), token_from="/kb/new")
    assert response.status_code == 302
    article = queries.get_article(db, 1)
    assert (article["status"], article["revision"], article["error_list"]) == (
        "draft",
        1,
        ["No signal"],
    )
    assert [r["note"] for r in queries.revisions(db, 1)] == ["Written"]


def test_missing_title_is_refused_next_to_the_field(login, post, db):
    login("coordinator")
    response = post("/kb/new", _form(title=""), token_from="/kb/new")
    assert response.status_code == 400
    assert "Give the article a title." in response.get_data(as_text=True)
    assert db["articles"].count == 0


def test_each_edit_keeps_a_revision_shown_in_the_history(login, post, db, client):
    article_id = add_article(db, "Projector lamp")
    login("coordinator")
    post(
        f"/kb/{article_id}/edit",
        _form(title="Projector lamp warning", base_revision="1"),
        token_from="/kb/new",
    )
    revisions = queries.revisions(db, article_id)
    assert [(r["revision"], r["title"]) for r in revisions] == [
        (2, "Projector lamp warning"),
        (1, "Projector lamp"),
    ]
    html = client.get(f"/kb/{article_id}/history").get_data(as_text=True)
    assert "Projector lamp warning" in html and "Edited" in html


def test_an_edit_made_on_an_older_revision_is_refused(login, post, db):
    article_id = add_article(db, "Projector lamp")
    store.update_article(
        db, article_id, store.ArticleInput(title="Changed meanwhile"), user_id=None, at=AT
    )
    login("coordinator")
    response = post(
        f"/kb/{article_id}/edit", _form(title="Mine", base_revision="1"), token_from="/kb/new"
    )
    assert response.status_code == 409
    assert "Someone else saved this article" in response.get_data(as_text=True)
    assert queries.get_article(db, article_id)["title"] == "Changed meanwhile"


def test_publishing_makes_a_draft_searchable_and_retiring_hides_it(app, login, post, db):
    article_id = add_article(db, "Printer offline", status="draft")
    login("coordinator")
    post(f"/kb/{article_id}/publish", token_from="/kb/new")
    assert titles(app, db, "printer") == ["Printer offline"]
    post(f"/kb/{article_id}/retire", token_from="/kb/new")
    assert titles(app, db, "printer") == []
    assert [r["note"] for r in queries.revisions(db, article_id)][:2] == ["Retired", "Published"]


def test_article_page_renders_markdown_without_script(login, client, db):
    article_id = add_article(
        db,
        "<b>Bold</b> title",
        fix="1. Step <script>alert(1)</script>\n2. [x](javascript:alert(2))",
    )
    login("desk")
    html = client.get(f"/kb/{article_id}").get_data(as_text=True)
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in html
    assert "<script>alert" not in html and "javascript:" not in html and "<ol>" in html


def test_a_draft_is_hidden_from_others_but_shown_to_its_author(login, client, db, users):
    other = add_article(db, "Someone's draft", status="draft")
    own = add_article(db, "My draft", status="draft", user_id=users["desk"])
    login("desk")
    assert client.get(f"/kb/{other}").status_code == 404
    assert client.get(f"/kb/{own}").status_code == 200


def test_error_messages_link_to_a_web_search_in_a_new_tab(login, client, db):
    article_id = add_article(db, "Outlook", error_messages=["0x80070005 Access is denied"])
    login("desk")
    html = client.get(f"/kb/{article_id}").get_data(as_text=True)
    link = re.search(
        r'<a href="([^"]+)" target="_blank" rel="noopener noreferrer">Search the web', html
    )
    assert link and link.group(1).startswith("https://duckduckgo.com/?q=")
    assert "0x80070005" in link.group(1)


def test_starter_articles_load_once_and_are_complete(db):
    first = files.load_starter_articles(db, find("knowledge_base"), None, AT)
    again = files.load_starter_articles(db, find("knowledge_base"), None, AT)
    assert len(first) >= 12 and again == []
    for article_id in first:
        article = queries.get_article(db, article_id)
        assert article["status"] == "published" and article["fix"].startswith("1."), article["slug"]
        assert article["symptoms"] and article["cause"] and article["categories"], article["slug"]


def test_export_then_import_gives_the_same_articles(db, tmp_path, app):
    add_article(
        db,
        "Projector lamp",
        fix="1. Turn it off.",
        error_messages=["Lamp error"],
        tags=["lamp"],
        equipment_types=["Projector"],
        categories=("Email",),
    )
    files.export_folder(db, tmp_path / "out")
    text = (tmp_path / "out" / "projector-lamp.md").read_text()
    assert "## Fix" in text and "Lamp error" in text
    store.update_article(db, 1, store.ArticleInput(title="Changed"), user_id=None, at=AT)
    assert files.import_folder(db, tmp_path / "out", None, AT) == []  # kept the school's edit
    assert files.import_folder(db, tmp_path / "out", None, AT, update=True) == [1]
    article = queries.get_article(db, 1)
    assert (article["title"], article["fix"], article["categories"][0]["name"]) == (
        "Projector lamp",
        "1. Turn it off.",
        "Email",
    )


def test_draft_from_call_is_prefilled_from_the_call(db, make_call, users):
    call_id = make_call(
        "Outlook will not send",
        category="Email",
        details='Outlook says "Sending reported error (0x80070005)".',
    )
    call = calls.get_call(db, call_id)
    article_id = drafts.draft_from_call(db, call, "Rebuilt the mail profile.", users["desk"], AT)
    article = queries.get_article(db, article_id)
    assert (article["title"], article["fix"], article["status"], article["audience"]) == (
        "Outlook will not send",
        "Rebuilt the mail profile.",
        "draft",
        "technicians",
    )
    assert article["categories"][0]["name"] == "Email"
    assert article["source_call_id"] == call_id
    assert any("0x80070005" in m for m in article["error_list"])
    assert drafts.draft_from_call(db, call, "again", users["desk"], AT) == article_id


def test_error_messages_are_found_in_what_the_caller_said():
    found = drafts.error_messages_in("It crashed.\nError: Printer offline\nthen 0x80070005")
    assert found == ["Printer offline", "0x80070005"]


def test_desk_drafts_from_a_resolved_call_in_one_step(login, post, db, make_call):
    call_id = make_call("Projector blank")
    calls.update_call(
        db,
        call_id,
        {"status": "Resolved"},
        user_id=None,
        at=AT,
        kind="resolved",
        text="Changed the HDMI cable.",
    )
    login("desk")
    response = post(f"/kb/draft-from-call/{call_id}", token_from="/kb/")
    assert response.status_code == 302 and response.headers["Location"] == "/kb/1"
    assert queries.get_article(db, 1)["fix"] == "Changed the HDMI cable."
    assert [e["kind"] for e in history_store.history(db, call_id)][-1] == "article_drafted"


def test_technician_drafts_only_from_calls_routed_to_them(login, post, db, make_call):
    hidden = make_call("Not routed")
    routed = make_call("Routed")
    route_to_service_delivery(db, routed)
    login("technician")
    assert post(f"/kb/draft-from-call/{hidden}", token_from="/kb/").status_code == 404
    assert post(f"/kb/draft-from-call/{routed}", token_from="/kb/").status_code == 302
    assert db["articles"].count == 1


def test_kb_import_and_export_commands(app, db, tmp_path):
    runner = app.test_cli_runner()
    count = len(list(find("knowledge_base").glob("*.md")))
    assert (
        f"Imported {count} article(s)."
        in runner.invoke(args=["kb", "import", str(find("knowledge_base"))]).output
    )
    assert titles(app, db, "0x80070005") == [
        'Outlook error 0x80070005 "Access is denied" when sending or opening mail'
    ]
    result = runner.invoke(args=["kb", "export", str(tmp_path / "out")])
    assert f"Exported {count} article(s)" in result.output
    assert (tmp_path / "out" / "printer-offline.md").exists()
