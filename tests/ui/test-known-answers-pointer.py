#!/usr/bin/env python3
# test-known-answers-pointer.py — keeping, removing and undoing known answers with the real X
# pointer only.
#
# The curator: the app runs as `likeness --browse=STUDY` under the test's Xvfb (lkxdo.py). Once
# the browser has settled, a click on "Sort Grids…"; in that window, two images dragged into
# bins (past the instructions, with a click on Start) and a click on Submit; a click on "Keep as Known Answer…", on "Keep" in its dialog, and the
# study file then holds the known answer (source "curator", the grid's images in the bins
# dragged, the other images left out); a click on the toast's "Undo", and it is gone from the
# file.
#
# The Known Answers window: the study, given two known answers with `likeness-cli gold
# --import`, opened in the app; a click on the overview's "Known Answers" row, on the first
# known answer's Remove button (the file then lacks it) and on the toast's "Undo" (the file
# holds it again, under a new id, with the same name, use and bins).
#
# Every wait is on a line the app prints (lk-pointer-probe.c) or on the study file, with a
# timeout. Exit 77 (skip) without DISPLAY or xdotool.
#
# With a third argument WIDTHxHEIGHT (1024x600 in the suite) the Sort Grids window and the main
# window are that size, as on a small laptop's screen, and every click and drop must land
# inside them.
#
# Usage: test-known-answers-pointer.py LIKENESS LIKENESS_CLI [WIDTHxHEIGHT]
import os
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lkxdo import App, Failure, drag, make_study, new_tmp, run, skip_unless_possible, xdotool  # noqa: E402,E501

skip_unless_possible()
APP, CLI = sys.argv[1], sys.argv[2]
SIZE = tuple(int(v) for v in sys.argv[3].split("x")) if len(sys.argv) > 3 else None
NQ, NC = 6, 3
tmp = new_tmp("lk-known-pointer-")
# GTK's animations off (as a user may have them), so that a toast is where the app last printed
# it when it is clicked, not still sliding in.
ANIMATIONS_OFF = os.path.join(tmp, "config")
os.makedirs(os.path.join(ANIMATIONS_OFF, "gtk-4.0"))
with open(os.path.join(ANIMATIONS_OFF, "gtk-4.0", "settings.ini"), "w") as f:
    f.write("[Settings]\ngtk-enable-animations=false\n")


def read(study, sql):
    with sqlite3.connect(f"file:{study}?mode=ro", uri=True) as db:
        return db.execute(sql).fetchall()


def gold_grids(study):
    """{name: (use, source, [(image, bin) by position])} of the study's known answers."""
    grids = {}
    for gid, name, use, source in read(study, "SELECT id, name, use, source FROM gold_grid"):
        items = read(study, "SELECT i.path, gi.bin FROM gold_item gi JOIN image i "
                            f"ON i.item = gi.item WHERE gi.gold = {gid} ORDER BY gi.position")
        grids[name] = (use, source, items)
    return grids


def curator(study):
    args = ["--browse", study]
    app = App(APP, study, tmp, None, args, ANIMATIONS_OFF)
    # click_in waits until the browser has settled (its line no longer "busy").
    app.click_in("browser", "Sort-Grids")

    _, _, xid, _ = app.window_showing("curator", "keep_button")
    if SIZE is not None:
        xdotool("windowsize", "--sync", xid, *SIZE)
        if app.geometry(xid)[2:] != SIZE:
            raise Failure(f"the Sort Grids window is {app.geometry(xid)[2:]}, not {SIZE}")
    # The sorting pages' centres are the Sort Grids window's: it has the one session view.
    app.click("begin", app.settled("instructions"), xid)
    c = app.settled("sort", grid="1")
    n = len(c[4])
    drag(app, "tile-0", "bin-1", c, xid)
    c = app.settled("sort", grid="1", place=[0] + [-1] * (n - 1))
    drag(app, "tile-1", "bin-2", c, xid)
    c = app.settled("sort", grid="1", place=[0, 1] + [-1] * (n - 2))
    app.click("submit", c, xid)
    app.settled("sort", grid="2")
    answered = read(study, "SELECT i.path, ab.bin FROM answer a JOIN answer_bin ab "
                           "ON ab.answer = a.id JOIN query_item qi ON qi.query = a.query "
                           "AND qi.position = ab.position JOIN image i ON i.item = qi.item "
                           "ORDER BY ab.position")

    app.click_in("curator", "keep_button")
    app.click_in("keep-dialog", "Keep")
    app.window_gone("keep-dialog")
    kept = app.wait_for(lambda: gold_grids(study), "the known answer in the study file")
    (name, (use, source, items)), = kept.items()
    if (use, source) != ("exam", "curator") or items != answered:
        raise Failure(f"kept {name}: {use}, {source}, {items}; expected exam, curator, {answered}")

    app.click_in("curator", "Undo")
    app.wait_for(lambda: not gold_grids(study), "the known answer gone from the study file")
    app.stop()
    return name


def known_answers(study):
    path = os.path.join(tmp, "gold.csv")
    with open(path, "w") as f:
        f.write("gold,use,position,image,bin,instructions\n")
        for name, use, first in (("first", "exam", 0), ("second", "training", 10)):
            for p in range(4):
                f.write(f"{name},{use},{p},c{first + p:02d}.png,{p % 2},\n")
    subprocess.run([CLI, "gold", study, "--import", path], check=True, stdout=subprocess.DEVNULL)
    before = gold_grids(study)
    first_id = read(study, "SELECT id FROM gold_grid WHERE name = 'first'")[0][0]

    app = App(APP, study, tmp, SIZE, None, ANIMATIONS_OFF)
    app.click("known-answers", app.settled("overview"))
    app.click_in("known-answers", f"remove-{first_id}")
    app.wait_for(lambda: "first" not in gold_grids(study), "'first' gone from the study file")
    if set(gold_grids(study)) != {"second"}:
        raise Failure(f"after Remove the study holds {sorted(gold_grids(study))}")
    app.click_in("known-answers", "Undo")
    app.wait_for(lambda: "first" in gold_grids(study), "'first' back in the study file")
    after = gold_grids(study)
    if after != before:
        raise Failure(f"after Undo the known answers are {after}, expected {before}")
    if read(study, "SELECT id FROM gold_grid WHERE name = 'first'")[0][0] == first_id:
        raise Failure("'first' came back under its old id")
    app.stop()


def main():
    study = make_study(CLI, tmp, "known.likeness", 30, "--nq", str(NQ), "--nc", str(NC),
                       "--budget", "12", "--phases", "2", "--k", "10", "--seed", "9")
    name = curator(study)
    known_answers(study)
    print(f"ok: '{name}' kept from Sort Grids and undone, a known answer removed and put back "
          "in the Known Answers window, by pointer only; each step read back from the study file")


run(main, tmp)
