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
from kit.kb import files, index, search

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
    ("touch screen not working on the panel", "interactive-panel-touch-not-working"),
    ("clevertouch frozen wont respond", "interactive-panel-touch-not-working"),
    ("touch goes to my monitor not the board", "interactive-panel-touch-not-working"),
    ("exam laptops setup access arrangements", "exam-room-laptop-setup"),
    ("turn off spell check for exam", "exam-room-laptop-setup"),
    ("exam room clock wrong", "exam-room-laptop-setup"),
    ("card not registered copier", "copier-card-login-release-printing"),
    ("how do i release my printing", "copier-card-login-release-printing"),
    ("swipe card photocopier not working", "copier-card-login-release-printing"),
    ("toner low", "printer-toner-low-streaks"),
    ("streaks on printed pages", "printer-toner-low-streaks"),
    ("printing very faint", "printer-toner-low-streaks"),
    ("projector lamp warning", "projector-lamp-overheating-filter-warning"),
    ("projecter overheating keeps turning off", "projector-lamp-overheating-filter-warning"),
    ("clean filter message on projector", "projector-lamp-overheating-filter-warning"),
    ("laptop not showing on board", "laptop-display-duplicate-hdmi-adapter"),
    ("usb c hdmi adapter no display", "laptop-display-duplicate-hdmi-adapter"),
    ("board shows desktop not my powerpoint", "laptop-display-duplicate-hdmi-adapter"),
    ("teams camera not working", "teams-camera-microphone-not-working"),
    ("nobody can hear me in teams", "teams-camera-microphone-not-working"),
    ('"We can\'t find a camera"', "teams-camera-microphone-not-working"),
    ("new student needs a login", "student-account-new-starter-leaver"),
    ("pupil left still has account", "student-account-new-starter-leaver"),
    ("new phone authenticator", "mfa-authenticator-new-phone"),
    ("authenticater codes lost phone", "mfa-authenticator-new-phone"),
    ("approve sign in request old phone", "mfa-authenticator-new-phone"),
    ("website blocked", "website-blocked-web-filter"),
    ("youtube blocked for pupils", "website-blocked-web-filter"),
    ("NET::ERR_CERT_AUTHORITY_INVALID", "website-blocked-web-filter"),
    ("onedrive sync conflict", "onedrive-sharepoint-sync-conflict"),
    ("duplicate file with computer name sharepoint", "onedrive-sharepoint-sync-conflict"),
    ("onedrive red cross not syncing", "onedrive-sharepoint-sync-conflict"),
    ("There is not enough space on the disk", "slow-computer-disk-full"),
    ("computer really slow", "slow-computer-disk-full"),
    ("c drive full", "slow-computer-disk-full"),
    ("memory stick not recognised", "usb-stick-not-recognised"),
    ("usb stick blocked", "usb-stick-not-recognised"),
    ("pendrive not showing up", "usb-stick-not-recognised"),
    ("stuck on working on updates", "windows-update-stuck"),
    ("windows update stuck at 30%", "windows-update-stuck"),
    ('"Undoing changes made to your computer"', "windows-update-stuck"),
    ("register missing for my class", "register-cannot-be-taken"),
    ("register locked sims", "register-cannot-be-taken"),
    ("register wont save", "register-cannot-be-taken"),
    ("install app on ipads", "ipad-app-install-mdm"),
    ("jamf app not installing", "ipad-app-install-mdm"),
    ("Unable to Download App", "ipad-app-install-mdm"),
    ("wireless mouse not working", "wireless-keyboard-mouse-not-working"),
    ("keyboard not typing", "wireless-keyboard-mouse-not-working"),
    ("wirless mouse jumpy", "wireless-keyboard-mouse-not-working"),
    ("phishing email", "phishing-email-report"),
    ("i clicked a link in a scam email", "phishing-email-report"),
    ("phising", "phishing-email-report"),
    ("the board wont respond when i touch it", "interactive-panel-touch-not-working"),
    ("word processor for exams", "exam-room-laptop-setup"),
    ("lines down the page when printing", "printer-toner-low-streaks"),
    ("The projector is overheating", "projector-lamp-overheating-filter-warning"),
    ("Didn't detect another display", "laptop-display-duplicate-hdmi-adapter"),
    ("mic not working teams", "teams-camera-microphone-not-working"),
    (
        "Your organization needs more information to keep your account secure",
        "mfa-authenticator-new-phone",
    ),
    ("two copies of my file", "onedrive-sharepoint-sync-conflict"),
    ("flash drive not recognized", "usb-stick-not-recognised"),
    ("computer stuck on getting windows ready", "windows-update-stuck"),
    ("This app is no longer shared with you", "ipad-app-install-mdm"),
    ("clicker not changing slides", "wireless-keyboard-mouse-not-working"),
    ("suspicous email from head asking for gift cards", "phishing-email-report"),
]


@pytest.fixture(scope="module")
def starter(tmp_path_factory):
    instance = tmp_path_factory.mktemp("kb") / "instance"
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(instance), "SECRET_KEY": "t"})
    db = connect(app.config["DATABASE"])
    files.load_starter_articles(db, find("knowledge_base"), None, AT)
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
