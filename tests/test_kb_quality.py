"""Search quality on the starter knowledge base: queries as staff type them.

Each query must find its article in the top three. The share that hit is the measure
reported in the issue's closing note.
"""

from __future__ import annotations

import pytest
from kb_support import AT

from kit import create_app
from kit.assets import find
from kit.db import connect
from kit.kb import index, search, store

QUERIES = [
    ("projector no picture", "projector-no-signal"),
    ("projector says no signal", "projector-no-signal"),
    ("screen blank in classroom", "projector-no-signal"),
    ("projecter no signal", "projector-no-signal"),
    ("smartboard wont calibrate", "interactive-whiteboard-calibration"),
    ("pen writes in wrong place on whiteboard", "interactive-whiteboard-calibration"),
    ("promethean board not responding to touch", "interactive-whiteboard-calibration"),
    ("cant log in locked out", "forgotten-password-locked-account"),
    ("forgot my password", "forgotten-password-locked-account"),
    ("account locked", "forgotten-password-locked-account"),
    ("printer says offline", "printer-offline"),
    ('"Printer offline"', "printer-offline"),
    ("prnter ofline", "printer-offline"),
    ("cannot print", "printer-offline"),
    ("paper jammed in copier", "printer-paper-jam"),
    ("photocopier jam tray 2", "printer-paper-jam"),
    ("print jobs stuck in queue", "print-queue-stuck"),
    ("0x80070005", "outlook-access-denied-0x80070005"),
    ('"Access is denied" outlook', "outlook-access-denied-0x80070005"),
    ("outlook wont send", "outlook-access-denied-0x80070005"),
    ("wifi not connecting", "wifi-cannot-connect"),
    ("no internet on laptop", "wifi-cannot-connect"),
    ("laptop wont charge", "laptop-wont-charge"),
    ("battery flat", "laptop-wont-charge"),
    ("no sound from speakers", "classroom-sound-not-working"),
    ("video has no audio", "classroom-sound-not-working"),
    ("cant take register sims", "mis-login-error"),
    ("arbor login failed", "mis-login-error"),
    ("s drive missing", "network-drive-missing"),
    ("the network path was not found", "network-drive-missing"),
    ("visualiser not working", "document-camera-no-picture"),
    ("email stopped on iphone", "email-on-phone-not-syncing"),
    ("chromebooks not charged trolley", "laptop-trolley-not-charging"),
    ("need software installed", "software-install-request"),
]


@pytest.fixture(scope="module")
def starter(tmp_path_factory):
    instance = tmp_path_factory.mktemp("kb") / "instance"
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(instance), "SECRET_KEY": "t"})
    db = connect(app.config["DATABASE"])
    store.load_starter_articles(db, find("knowledge_base"), None, AT)
    ix = index.open_index(index.index_dir(app), db)
    with ix.searcher() as searcher:
        yield searcher, db
    db.conn.close()


@pytest.mark.parametrize(("query", "slug"), QUERIES)
def test_starter_article_is_in_the_top_three(starter, query, slug):
    searcher, db = starter
    top = [hit["slug"] for hit in search.search(searcher, db, query).hits[:3]]
    assert slug in top, top


def test_every_starter_article_is_the_answer_to_some_query():
    slugs = {path.stem for path in find("knowledge_base").glob("*.md")}  # file name = slug
    assert {slug for _query, slug in QUERIES} == slugs
