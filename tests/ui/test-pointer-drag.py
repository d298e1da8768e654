#!/usr/bin/env python3
# test-pointer-drag.py — a participant's session with the real X pointer and keyboard.
#
# The app runs on a study file made with `likeness-cli create`, under the test's Xvfb, with no
# window manager (lkxdo.py). xdotool sends real X events through XTEST; GTK receives them
# through XI2 and does its own drag and drop over XDND (a drag needs real motion events in
# between, not one jump). The app prints the centres of its widgets after each painted frame
# that moved them, and logs drops with g_debug (G_MESSAGES_DEBUG=lk-app).
#
# The participant clicks "I Agree" and "Start", drags an image into a bin on the practice grid
# and presses Enter, clicks "Continue", then on the first recorded grid drags an image into
# bin 1, another into bin 2, moves that one on to bin 3 (bin to bin), drags a third into bin 1
# and back to the grid (bin to grid), undoes that with Ctrl+Z, puts the image with the focus
# into bin 2 with the key 2, and presses Enter. The test then checks, besides the drop
# lines in the log, the study file itself through `likeness-cli export`: one answer (the
# practice grid is not recorded) with the images where they were dropped, and its move log.
#
# Every wait is on a condition (a log line, a printed state) with a timeout, never a fixed sleep
# for correctness; the short sleeps between pointer steps only pace the events (a drag needs
# several motion events, and the button must be held a moment). Exit 77 (skip) without DISPLAY
# or xdotool.
#
# With a third argument WIDTHxHEIGHT (1024x600 in the suite) the window is that size, as on a
# small laptop's screen, and every click must land inside it.
#
# Usage: test-pointer-drag.py LIKENESS LIKENESS_CLI [WIDTHxHEIGHT]
import csv
import io
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lkxdo import App, Failure, drag, make_study, new_tmp, run, skip_unless_possible  # noqa: E402

skip_unless_possible()
APP, CLI = sys.argv[1], sys.argv[2]
SIZE = tuple(int(v) for v in sys.argv[3].split("x")) if len(sys.argv) > 3 else None
tmp = new_tmp("lk-pointer-")


def main():
    study = make_study(CLI, tmp, "drag.likeness", 30, "--nq", "8", "--nc", "3", "--budget", "3",
                       "--phases", "1", "--k", "10", "--seed", "7")
    app = App(APP, study, tmp, SIZE)

    app.click("start", app.settled("overview"))
    app.click("accept", app.settled("consent"))
    app.click("begin", app.settled("instructions"))

    # The practice grid: one image into bin 2, then Enter.
    c = app.settled("sort", grid="P1")
    n = len(c[4])
    drag(app, "tile-0", "bin-2", c)
    app.settled("sort", grid="P1", place=[1] + [-1] * (n - 1))
    app.key("Return")
    app.click("continue", app.settled("practice-done"))

    # The first recorded grid.
    c = app.settled("sort", grid="1", place=[-1] * n)
    drag(app, "tile-0", "bin-1", c)
    c = app.settled("sort", grid="1", place=[0] + [-1] * (n - 1))
    drag(app, "tile-1", "bin-2", c)
    c = app.settled("sort", grid="1", place=[0, 1] + [-1] * (n - 2))
    drag(app, "tile-1", "bin-3", c)               # from one bin to another
    c = app.settled("sort", grid="1", place=[0, 2] + [-1] * (n - 2))
    drag(app, "tile-2", "bin-1", c)
    c = app.settled("sort", grid="1", place=[0, 2, 0] + [-1] * (n - 3))
    drag(app, "tile-2", "grid", c)                # and back out of a bin into the grid
    c = app.settled("sort", grid="1", place=[0, 2] + [-1] * (n - 2))
    # Real key events through the page's shortcuts: Ctrl+Z undoes the last drop, and 2 puts the
    # image with the focus (or, with none, the first one left in the grid) into bin 2.
    app.key("ctrl+z")
    c = app.settled("sort", grid="1", place=[0, 2, 0] + [-1] * (n - 3))
    focus = c[2]["focus"]
    keyed = focus if focus >= 0 else c[4].index(-1)
    place = list(c[4])
    moves_by_key = [(keyed, place[keyed], 1)] if place[keyed] != 1 else []   # none if already there
    place[keyed] = 1
    app.key("2")
    place = app.settled("sort", grid="1", place=place)[4]
    app.key("Return")
    # The answer is in the file before the next grid shows: nothing acknowledged is lost.
    app.settled("sort", grid="2", place=[-1] * n)
    app.stop()

    out = subprocess.run([CLI, "export", study, "--answers", "-"], check=True,
                         capture_output=True, text=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    answers = sorted({r["answer"] for r in rows})
    if len(answers) != 1:
        raise Failure(f"expected 1 recorded answer (practice is not recorded), got {answers}")
    bins = {int(r["position"]): r["bin"] for r in rows}
    expected = {p: ("left_out" if b < 0 else str(b)) for p, b in enumerate(place)}
    if bins != expected:
        raise Failure(f"the answer's bins by position are {bins}, expected {expected}")

    # The move log: the five drops, the undo (logged as a move back), and the key's move.
    json_path = os.path.join(tmp, "study.json")
    subprocess.run([CLI, "export", study, "--json", json_path], check=True, stdout=subprocess.DEVNULL)
    with open(json_path) as f:
        dump = json.load(f)
    item_at = {int(r["position"]): int(r["item"]) for r in rows}
    moves = sorted(dump["answer_move"], key=lambda m: m["seq"])
    got = [(m["item"], m["from_bin"], m["to_bin"]) for m in moves]
    want = [(item_at[0], -1, 0), (item_at[1], -1, 1), (item_at[1], 1, 2), (item_at[2], -1, 0),
            (item_at[2], 0, -1), (item_at[2], -1, 0)]
    want += [(item_at[p], a, b) for p, a, b in moves_by_key]
    if got != want:
        raise Failure(f"move log {got}, expected {want}")
    print(f"ok: {app.count('drop of image')} real drops delivered, Ctrl+Z, the key 2 on image "
          f"{keyed}; answer and move log in the study file")


run(main, tmp)
