#!/usr/bin/env python3
# test-participant-journey.py — a participant's session of its own length, keyboard only.
#
# The study is made with `likeness-cli create … --grids-per-participant 3` and a budget of 12,
# so the session must end because this participant has sorted their 3 grids, not because the
# study is spent. Under the test's Xvfb (lkxdo.py), xdotool types only the keys the app teaches:
# Alt+S on the overview, Alt+A on the consent page, Alt+S on the instructions, on each grid the
# arrows, number keys, Ctrl+Z, Backspace and Enter (the instructions' keys), Alt+C after the
# practice grid. Each grid's end state is predicted and waited for (no fixed sleeps). After
# grid 3 the thank-you page shows; the study file then holds exactly 3 answers, all from that
# participant (read with sqlite3), and `likeness-cli info --json` counts 3 of 12. Alt+F then
# goes back to the overview, and the next participant starts again at grid 1.
# Exit 77 (skip) without DISPLAY or xdotool.
#
# With a third argument WIDTHxHEIGHT (1024x600 in the suite) the window is that size, as on a
# small laptop's screen.
#
# Usage: test-participant-journey.py LIKENESS LIKENESS_CLI [WIDTHxHEIGHT]
import json
import os
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lkxdo import App, Failure, make_study, new_tmp, run, skip_unless_possible  # noqa: E402

skip_unless_possible()
APP, CLI = sys.argv[1], sys.argv[2]
SIZE = tuple(int(v) for v in sys.argv[3].split("x")) if len(sys.argv) > 3 else None
NQ, NC, GRIDS, BUDGET = 8, 3, 3, 12
tmp = new_tmp("lk-journey-")

# The keys typed on every grid, and what the sorting page shows after them (each image's bin,
# -1 in the grid, and the focused place), as lk-sort-page.c behaves: a number files the focused
# image and moves the focus on to the next image still in the grid; Ctrl+Z undoes the last
# filing without moving the focus; Backspace takes the focused image out (here: already out).
KEYS = ["1", "Right", "2", "3", "ctrl+z", "BackSpace", "Left", "3"]
PLACE = [0, -1, 1, 2, -1, -1, -1, -1]
FOCUS = 4


def sort_grid(app, label):
    app.settled("sort", grid=label, place=[-1] * NQ, focus=0)
    app.key(*KEYS)
    app.settled("sort", grid=label, place=PLACE, focus=FOCUS)
    app.key("Return")


def start_session(app):
    """From the overview to the first recorded grid, through consent, instructions and the
    practice grid."""
    app.settled("overview")
    app.key("alt+s")
    app.settled("consent")
    app.key("alt+a")
    app.settled("instructions")
    app.key("alt+s")
    sort_grid(app, "P1")
    app.settled("practice-done")
    app.key("alt+c")


def answers_by_participant(study):
    with sqlite3.connect(f"file:{study}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT p.code, count(*) FROM answer a "
                          "LEFT JOIN session s ON s.id = a.session "
                          "JOIN participant p ON p.id = coalesce(a.participant, s.participant) "
                          "GROUP BY p.code ORDER BY p.code").fetchall()
    return dict(rows)


def main():
    study = make_study(CLI, tmp, "journey.likeness", 30, "--nq", str(NQ), "--nc", str(NC),
                       "--budget", str(BUDGET), "--phases", "2", "--k", "10", "--seed", "5",
                       "--grids-per-participant", str(GRIDS))
    app = App(APP, study, tmp, SIZE)

    start_session(app)
    for label in range(1, GRIDS + 1):
        sort_grid(app, str(label))
    # The participant's grids are sorted: the thank-you page, not a fourth grid.
    app.settled("done")

    by_code = answers_by_participant(study)
    if list(by_code.values()) != [GRIDS]:
        raise Failure(f"expected one participant with {GRIDS} answers, got {by_code}")
    info = json.loads(subprocess.run([CLI, "info", "--json", study], check=True,
                                     capture_output=True, text=True).stdout)
    if info["answers"] != GRIDS or info["params"]["budget"] != BUDGET:
        raise Failure(f"info --json: {info['answers']} answers of {info['params']['budget']}, "
                      f"expected {GRIDS} of {BUDGET}")
    if info["settings"]["grids_per_participant"] != GRIDS:
        raise Failure(f"info --json: grids per participant {info['settings']}")

    # Finish goes back to the overview (the study has no passphrase); the next participant's
    # count starts at grid 1 again, while the study's goes on.
    app.key("alt+f")
    start_session(app)
    app.settled("sort", grid="1", place=[-1] * NQ, focus=0)
    app.stop()
    print(f"ok: {GRIDS} grids by keyboard only, then the thank-you page; {by_code} in the "
          f"study file, {info['answers']} of {BUDGET} in info --json; the next participant "
          "starts at grid 1")


run(main, tmp)
