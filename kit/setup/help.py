"""Short "how to use this page" texts, in plain words, for each main screen and role.

The framework asks for instructions on the use of the forms; these are the screen's own.
Keyed by endpoint; a screen that means different work for different roles has one text
per role, and the first that matches the person's roles is shown. A page includes the
panel with one line (`{{ help() }}` from `_help.html`). No Flask here.
"""

from __future__ import annotations

from collections.abc import Iterable

DESK_LIKE = ("desk", "admin")
ANYONE = ()

# endpoint: ((roles it is for, or () for anyone), steps), most specific first.
HELP: dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = {
    "home.index": (
        (
            DESK_LIKE,
            (
                "Start each day here: the boxes show what needs you now, most urgent first.",
                "New calls to triage: open each, check the category, then assign it to a group.",
                "Due or overdue: answer or chase these before anything else.",
                "With Customer: ring or email the customer; close the call if they stay silent.",
                "Third parties overdue: ask the supplier or group when they will be done.",
                "When someone phones, press “Log a call” (or Alt+N).",
            ),
        ),
        (
            ("technician",),
            (
                "Your open jobs are listed here, the most urgent first.",
                "Open a job to start it, add notes and time, or resolve it.",
                "Jobs appear here only once the desk passes them to you or your group.",
            ),
        ),
        (
            ANYONE,
            (
                "The open calls are listed here; open one to read what has happened.",
                "Use “Call log” in the menu to search older calls.",
            ),
        ),
    ),
    "calls.new": (
        (
            ANYONE,
            (
                "Work down the form in the order of the conversation: who, where, what.",
                "Type the caller's name and pick them from the list to fill in their details.",
                "Choose the room, then the equipment in it, or type the asset tag from the label.",
                "The category decides the type, the group the call goes to and how soon it is due.",
                "Write a one-line summary and, in Details, any error message word for word.",
                "Save, then read the call's reference to the caller.",
            ),
        ),
    ),
    "calls.log": (
        (
            ANYONE,
            (
                "Every call you may see, in the order the desk works them: Incidents first, "
                "then Maintenance, then Requests, soonest due first.",
                "Type a reference (for example 26-0042) or words to search.",
                "Narrow the list with the filters, then “Show calls”; “Clear filters” starts again.",
                "Open a call by its reference.",
            ),
        ),
    ),
    "calls.view": (
        (
            DESK_LIKE,
            (
                "Check the category first: it sets the group, the type and the due times.",
                "Assign the call to a group, or to one technician in it.",
                "Add a note for anything said or done: the history keeps every change.",
                "Resolve only when the customer agrees it is fixed; close it afterwards.",
            ),
        ),
        (
            ("technician",),
            (
                "Press Start when you begin; add notes and the time you spent as you go.",
                "Waiting for the customer? Use With Customer: the clock stops meanwhile.",
                "Waiting for a supplier? Use With 3rd Party and say when they expect to finish.",
                "Resolve with a short summary the customer will read.",
            ),
        ),
        (
            ANYONE,
            (
                "Read the call's details and its history, newest at the bottom.",
                "Notes you add are seen by the desk and the technicians.",
            ),
        ),
    ),
    "calls.mine": (
        (
            ANYONE,
            (
                "Your jobs, the most urgent first. Open one to work on it.",
                "On a phone, scroll down on a call's page to add a note, time or the resolution.",
            ),
        ),
    ),
    "directory.index": (
        (
            ANYONE,
            (
                "Each kind of reference data has a list, an Add form and a CSV import.",
                "Add response levels and support groups before categories, and rooms before "
                "equipment.",
                "Download a CSV template, fill it in with a spreadsheet and import it: you see "
                "a preview before anything is saved.",
            ),
        ),
    ),
    "printing.index": (
        (
            ANYONE,
            (
                "Print blank sheets to keep by the phone for when the network is down.",
                "A call's own sheets are printed from the call's page.",
            ),
        ),
    ),
    "calls.exceptions": (
        (
            ANYONE,
            (
                "Every open call past the desk check has an owner, and every follow-up is "
                "done on time: a call listed here breaks one of those promises.",
                "Open the call and put it right: pass it on to a technician, or record the "
                "follow-up as done. A healthy school sees an empty list.",
            ),
        ),
    ),
    "calls.hot_swaps": (
        (
            ANYONE,
            (
                "Each line is a replacement machine still out in a room.",
                "When the repaired machine goes back, open the call and mark the swap returned.",
            ),
        ),
    ),
    "kb.index": (
        (
            ANYONE,
            (
                "Describe the fault in a few words, or paste the error message, then Search.",
                "Put an error message in quotes to find it word for word.",
                "Open an article to read the fix; from a call, open it to link it to the call.",
            ),
        ),
    ),
    "accounts.index": (
        (
            ANYONE,
            (
                "Create an account for each person who logs in; give them the password in person.",
                "Tick the roles that match their work; technicians also need a support group.",
                "Disable an account when someone leaves: their calls keep their name.",
            ),
        ),
    ),
    "mail.outbox": (
        (
            ANYONE,
            (
                "Every message the kit sends waits here first.",
                "Without a mail server nothing is lost: messages wait until one is set up.",
                "Open a failed message to see why, then retry it.",
            ),
        ),
    ),
    "mailin.held": (
        (
            ANYONE,
            (
                "Mail to the desk from outside the school, or that could not be read, waits here.",
                "Open a mail to read it; nothing has been sent to its sender.",
                "A real fault? “Log it as a call”: the form is filled from the mail.",
                "Spam or not for the desk? Discard it; it stays in the desk's mailbox.",
            ),
        ),
    ),
    "mailin.setup": (
        (
            ANYONE,
            (
                "Mail in: the desk's mailbox, read every minute for new calls and replies.",
                "Mail out: the server the kit sends its messages through.",
                "Microsoft 365 needs the app sign-in (tenant, client ID, secret); Google an app "
                "password.",
                "Save, then press each “Test” button: it says what the server answered.",
            ),
        ),
    ),
    "visits.index": (
        (
            ANYONE,
            (
                "Calls left for a technician's next visit are listed per technician.",
                "Print a technician's list before the visit: a cover list, then the job sheets.",
            ),
        ),
    ),
    "problems.index": (
        (
            ANYONE,
            (
                "Record a problem when the same fault keeps coming back.",
                "Link the calls it causes; write the workaround so the desk can give it out.",
            ),
        ),
    ),
    "reports.index": (
        (
            ANYONE,
            (
                "Open a report, choose the dates and filters, then Show.",
                "Each report can be downloaded as a PDF for a meeting or a CSV for a spreadsheet.",
            ),
        ),
    ),
    "leaders.index": (
        (
            ANYONE,
            (
                "Read the letter to users and the charter, change the wording if you need to.",
                "Download the PDF and send it to all staff when the desk starts.",
                "Every version is kept with its date and who saved it.",
            ),
        ),
    ),
    "surveys.index": (
        (
            ANYONE,
            (
                "Once a term or once a year, ask everyone how ICT support works for them: "
                "check the school's questions at the bottom, add or retire some.",
                "Name the survey, give the last day for answers and send it: each person in "
                "the staff directory with an email address gets their own link.",
                "Open a survey to read its results, print the paper copy for staff without "
                "email, and type their answers in.",
            ),
        ),
    ),
    "setup.settings": (
        (
            ANYONE,
            (
                "Change what you need and press “Save settings” at the bottom of the form.",
                "Dates are written as 2026-09-03; a wrong line is named in the message.",
                "Working days, hours and holidays decide when calls fall due.",
                "Every change is listed at the bottom with who made it.",
            ),
        ),
    ),
}


def help_for(endpoint: str | None, roles: Iterable[str]) -> tuple[str, ...]:
    """The steps for this screen and these roles; empty when the screen has no help."""
    held = set(roles)
    for wanted, steps in HELP.get(endpoint or "", ()):
        if not wanted or held & set(wanted):
            return steps
    return ()
