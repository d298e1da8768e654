#!/usr/bin/env python3
# test-keyboard-session.py — a participant's whole session with the keyboard only, real keys.
#
# The app runs on a study file made with `likeness-cli create` (3 grids of 8 images in 3 bins),
# under the test's Xvfb (lkxdo.py); xdotool types at its window. Alt+A accepts the consent,
# Alt+S starts, and on the practice grid Tab, Right, 1, Enter, then Alt+C continues and Right
# on grid 1: the sequence that crashed GTK 4.8's flow box. Grid 1 then goes on with
# a fixed sequence (arrows in two dimensions, Home, End, numbers, Ctrl+Z, 0, Backspace), grids 2
# and 3 with seeded random keys. Before each key the test predicts where every image and the
# focus will be, and waits until the app prints exactly that (no fixed sleeps). After the last
# grid the thank-you page shows, and `likeness-cli export` has the 3 answers, the first with the
# bins predicted; the app started again on the study, now spent, says at once that it is
# complete. Exit 77 (skip) without DISPLAY or xdotool.
#
# With a fourth argument WIDTHxHEIGHT (1024x600 in the suite) the window is that size, as on a
# small laptop's screen.
#
# Usage: test-keyboard-session.py LIKENESS LIKENESS_CLI [SEED [WIDTHxHEIGHT]]
import csv
import io
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lkxdo import App, Failure, make_study, new_tmp, run, skip_unless_possible  # noqa: E402

skip_unless_possible()
APP, CLI = sys.argv[1], sys.argv[2]
SEED = int(sys.argv[3]) if len(sys.argv) > 3 else 13
SIZE = tuple(int(v) for v in sys.argv[4].split("x")) if len(sys.argv) > 4 else None
NQ, NC, COLUMNS = 8, 3, 5
tmp = new_tmp("lk-keyboard-")


class Grid:
    """What the sorting page should show: each image's bin (-1: in the grid), the focused
    place, and the model's undo stack (lk-sort-model.c, lk-sort-page.c)."""

    def __init__(self, n):
        self.place = [-1] * n
        self.focus = 0
        self.undo = []

    def move(self, position, bin):
        if self.place[position] != bin:
            self.undo.append((position, self.place[position]))
            self.place[position] = bin

    def next_in_grid(self, position):
        n = len(self.place)
        for i in range(1, n + 1):
            if self.place[(position + i) % n] == -1:
                return (position + i) % n
        return None

    def press(self, key):
        """Predicts what @key does; returns False if it is not predictable here."""
        n, p = len(self.place), self.focus
        moves = {"Left": p - 1 if p > 0 else p,
                 "Right": p + 1 if p + 1 < n else p,
                 "Up": p - COLUMNS if p >= COLUMNS else p,
                 "Down": p + COLUMNS if p + COLUMNS < n else p,
                 "Home": 0, "End": n - 1}
        if key in moves:
            self.focus = moves[key]
        elif key == "Tab":
            # Tab goes on to the next place; after the last one it leaves the grid.
            if p + 1 >= n:
                return False
            self.focus = p + 1
        elif key in ("0", "BackSpace"):
            self.move(p, -1)
        elif key.isdigit():
            bin = int(key) - 1
            if bin < NC:
                self.move(p, bin)
                following = self.next_in_grid(p)
                self.focus = following if following is not None else p
        elif key == "ctrl+z":
            if self.undo:
                position, bin = self.undo.pop()
                self.place[position] = bin
        else:
            raise Failure(f"no prediction for {key}")
        return True


def press(app, grid, label, key):
    """Types @key on grid @label, and waits until the page shows what @grid predicts."""
    if not grid.press(key):
        return False
    app.key(key)
    app.settled("sort", grid=label, place=grid.place, focus=grid.focus)
    return True


def main():
    study = make_study(CLI, tmp, "keys.likeness", 30, "--nq", str(NQ), "--nc", str(NC),
                       "--budget", "3", "--phases", "1", "--k", "10", "--seed", "11")
    app = App(APP, study, tmp, SIZE)

    # Opening the study shows its overview; Alt+S starts a participant's session.
    app.settled("overview")
    app.key("alt+s")
    app.settled("consent")
    app.key("alt+a")
    app.settled("instructions")
    app.key("alt+s")

    # The practice grid, then the key that crashed.
    practice = Grid(NQ)
    app.settled("sort", grid="P1", place=practice.place, focus=0)
    for key in ("Tab", "Right", "1"):
        press(app, practice, "P1", key)
    app.key("Return")
    app.settled("practice-done")
    app.key("alt+c")
    first = Grid(NQ)
    app.settled("sort", grid="1", place=first.place, focus=0)
    press(app, first, "1", "Right")

    for key in ("Down", "2", "Left", "Up", "3", "End", "1", "Home", "Right", "Right", "1",
                "ctrl+z", "Left", "BackSpace", "Up", "4", "Down", "Down", "0", "ctrl+z"):
        press(app, first, "1", key)
    app.key("Return")

    # Grids 2 and 3: seeded random keys, each predicted; then 1 and Enter.
    rng = random.Random(SEED)
    keys = ["Left", "Right", "Up", "Down", "Home", "End", "Tab", "1", "2", "3", "4", "0",
            "BackSpace", "ctrl+z"]
    typed = 0
    for label in ("2", "3"):
        grid = Grid(NQ)
        app.settled("sort", grid=label, place=grid.place, focus=0)
        n = 0
        while n < 40:
            n += press(app, grid, label, rng.choice(keys))
        typed += n
        press(app, grid, label, "1")
        app.key("Return")
    app.settled("done")
    app.stop()

    out = subprocess.run([CLI, "export", study, "--answers", "-"], check=True,
                         capture_output=True, text=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    answers = sorted({int(r["answer"]) for r in rows})
    if len(answers) != 3:
        raise Failure(f"expected 3 recorded answers, got {answers}")
    bins = {int(r["position"]): r["bin"] for r in rows if int(r["answer"]) == answers[0]}
    expected = {p: ("left_out" if b < 0 else str(b)) for p, b in enumerate(first.place)}
    if bins != expected:
        raise Failure(f"the first answer's bins by position are {bins}, expected {expected}")

    # The budget is spent: the study's overview says it is complete (test-open-study checks that
    # it then starts no session).
    again = App(APP, study, tmp, SIZE)
    if "finished" not in again.settled("overview")[3]:
        raise Failure("the overview of the spent study does not say it is finished")
    again.stop()
    print(f"ok: the crash sequence, {typed} random keys and 3 grids by keyboard only; "
          "3 answers in the study file, the first as predicted; the overview then: finished")


run(main, tmp)
