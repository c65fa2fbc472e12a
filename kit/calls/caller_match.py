"""A caller typed by hand on the log-a-call form, matched to the staff directory.

The page's script links a caller picked from the directory as the desk types. Without it,
or when the desk typed what the caller said ("Mrs Khan, ext 214"), the server does the same
before anything is logged: a name that is exactly one person's is linked; otherwise the
people it could be (`kit.rules.callers`) are offered on the form, and the desk picks one or
chooses to log the caller as typed, unlinked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from kit.calls.intake import parse_id
from kit.calls.store import NewCall
from kit.directory import store as directory
from kit.rules.callers import Suggestion, read_caller, suggest_callers

AS_TYPED = "typed"  # the desk's answer "none of these: log the caller as typed"


def suggestions_for(db: Database, typed: str) -> list[Suggestion]:
    """The directory entries a hand-typed caller could be, best first."""
    words = read_caller(typed)
    return suggest_callers(typed, directory.people_sharing(db, words.words, words.digits))


def settle_caller(
    db: Database, call: NewCall, answer: Mapping[str, str]
) -> tuple[NewCall, list[Suggestion]]:
    """The call with its caller linked, or the suggestions the desk must choose from first.

    `answer` is the posted form: `caller_pick` (a person's id or "typed") counts only when
    `caller_pick_for` is the caller's name as it is now, so editing the name asks again.
    """
    if call.caller_id is not None:
        return call, []
    typed = call.caller_name
    pick = answer.get("caller_pick", "") if answer.get("caller_pick_for") == typed else ""
    if pick == AS_TYPED:
        return call, []
    person = directory.get_person(db, parse_id(pick))
    if person is not None:
        return _linked(call, person), []
    named = directory.people_named(db, typed)
    if len(named) == 1:  # exactly one person's name, as the page's script links it
        return _linked(call, named[0]), []
    return call, suggestions_for(db, typed)


def _linked(call: NewCall, person: Mapping[str, Any]) -> NewCall:
    """The caller as the directory knows them; what the desk typed for email and phone stays."""
    return dataclasses.replace(
        call,
        caller_id=person["id"],
        caller_name=person["name"],
        caller_email=call.caller_email or person.get("email") or "",
        caller_phone=call.caller_phone or person.get("phone") or "",
    )
