"""Print the mutation score of each mutated module and overall, and the surviving mutants.

Run after `mutmut run` (see `make mutation`): `.venv/bin/python -m tests.mutation`.
It reads the results mutmut left in `mutants/`. A mutant is caught when a test failed
(killed) or the mutant ran past its time limit (timeout: the tests noticed a hang); a
mutant that no test ran ("no tests") counts as not caught. Mutants that only change message
text are never made: `[tool.mutmut] do_not_mutate_patterns` in pyproject.toml leaves those
lines out, so they count neither way.

With `--fail-under N` the exit status is 1 when the overall score is below N percent.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from mutmut.mutation.data import SourceFileMutationData
from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code
from mutmut.utils.file_utils import walk_mutatable_files

CAUGHT = {"killed", "timeout", "caught by type check"}
NOT_COUNTED = {"skipped", "not checked", "check was interrupted by user"}


def module_results() -> dict[str, dict[str, str]]:
    """{source path: {mutant name: status}} for every module mutmut has results for."""
    found = {}
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        if data.exit_code_by_key:
            found[str(path)] = {
                name: status_by_exit_code[code] for name, code in data.exit_code_by_key.items()
            }
    return found


def score(statuses: Counter) -> tuple[int, int]:
    """(caught, counted): the score is caught / counted."""
    counted = sum(n for status, n in statuses.items() if status not in NOT_COUNTED)
    caught = sum(statuses[status] for status in CAUGHT)
    return caught, counted


def percent(caught: int, counted: int) -> str:
    return f"{100 * caught / counted:.1f}%" if counted else "n/a"


def changed_lines(name: str, path: str) -> list[str]:
    """The lines a mutant changes, as `-old` / `+new`."""
    diff = get_diff_for_mutant(name, path=path).splitlines()
    return [
        line.strip()[:1] + " " + line[1:].strip()
        for line in diff
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fail-under", type=float, default=None)
    parser.add_argument("--quiet", action="store_true", help="scores only, no survivors")
    args = parser.parse_args(argv)
    if not Path("mutants").is_dir():
        print("No results: run `make mutation` (or `mutmut run`) first.", file=sys.stderr)
        return 2
    results = module_results()
    total: Counter = Counter()
    survivors: list[tuple[str, str, str]] = []
    for path, by_name in sorted(results.items()):
        statuses = Counter(by_name.values())
        caught, counted = score(statuses)
        if not counted:
            continue  # not run this time (`make mutation MUTANTS=...` picked other modules)
        total += statuses
        detail = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
        print(f"{path}: mutation score: {percent(caught, counted)} ({caught}/{counted}; {detail})")
        survivors += [
            (path, name, status)
            for name, status in sorted(by_name.items())
            if status not in CAUGHT | NOT_COUNTED
        ]
    caught, counted = score(total)
    print(f"overall: mutation score: {percent(caught, counted)} ({caught}/{counted})")
    if survivors and not args.quiet:
        print(f"\n{len(survivors)} mutants not caught:")
        for path, name, status in survivors:
            print(f"\n{name} ({status})")
            for line in changed_lines(name, path):
                print(f"    {line}")
    if args.fail_under is not None and counted and 100 * caught / counted < args.fail_under:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
