#!/usr/bin/env python3
# test-study-plan.py — a study file's session plan, done with the keyboard in the app.
#
# The study is made with `likeness-cli create … --plan sort:2,triplet:2`. Under the test's Xvfb
# (lkxdo.py), xdotool types: Alt+S on the overview, Alt+A on the consent page, Alt+S on the
# instructions, two grids sorted with number keys and Enter, Alt+C on the break between the
# blocks, Alt+S on the triplet instructions, then "3" (A, the left image, looks more like it)
# on the first triplet and "2" (neither) on the second. Each step is waited for: the page the
# app shows, and between the two triplets the trial stored in the file. The thank-you page then
# shows, and the study file holds 2 sorting answers and 2 triplet trials of block 1 from that
# participant, each with its images, side, choice (the left image's answer turned back into
# the drawn A or B) and times.
# Exit 77 (skip) without DISPLAY or xdotool.
#
# Usage: test-study-plan.py LIKENESS LIKENESS_CLI
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lkxdo import App, Failure, make_study, new_tmp, run, skip_unless_possible  # noqa: E402

skip_unless_possible()
APP, CLI = sys.argv[1], sys.argv[2]
NQ, NC = 8, 3
tmp = new_tmp("lk-study-plan-")

# lk-scores.h: LkTripletAnswer
NEITHER, A_CLOSER, B_CLOSER = 2, 3, 4


def read(study, sql):
    with sqlite3.connect(f"file:{study}?mode=ro", uri=True) as db:
        return db.execute(sql).fetchall()


def sorting_answers(study):
    return read(study, "SELECT a.id FROM answer a JOIN query q ON q.id = a.query "
                       "WHERE q.kind = 'sort' OR q.kind IS NULL")


def trials(study):
    return read(study, "SELECT q.kind, t.swapped, t.block, a.choice, a.shown_us, "
                       "a.submitted_us, p.code, (SELECT count(*) FROM query_item qi "
                       "WHERE qi.query = q.id) FROM answer a JOIN query q ON q.id = a.query "
                       "JOIN trial t ON t.query = q.id JOIN session s ON s.id = a.session "
                       "JOIN participant p ON p.id = s.participant ORDER BY a.id")


def sort_grid(app, label):
    app.settled("sort", grid=label, place=[-1] * NQ, focus=0)
    app.key("1", "2", "3")
    app.settled("sort", grid=label, place=[0, 1, 2] + [-1] * (NQ - 3))
    app.key("Return")


def main():
    study = make_study(CLI, tmp, "plan.likeness", 30, "--nq", str(NQ), "--nc", str(NC),
                       "--budget", "12", "--phases", "2", "--k", "10", "--seed", "5",
                       "--plan", "sort:2,triplet:2")
    app = App(APP, study, tmp)

    app.settled("overview")
    app.key("alt+s")
    app.settled("consent")
    app.key("alt+a")
    app.settled("instructions")
    app.key("alt+s")
    sort_grid(app, "1")
    sort_grid(app, "2")
    # Between the blocks: a break, then the triplet block's own instructions.
    app.settled("break")
    app.key("alt+c")
    app.settled("instructions")
    app.key("alt+s")
    app.settled("triplet")
    app.key("3")
    app.wait_for(lambda: len(trials(study)) == 1, "the first trial in the study file")
    app.settled("triplet")
    app.key("2")
    app.settled("done")

    n_sorted = len(sorting_answers(study))
    rows = trials(study)
    app.stop()
    if n_sorted != 2:
        raise Failure(f"expected 2 sorting answers, the study file has {n_sorted}")
    if len(rows) != 2:
        raise Failure(f"expected 2 trials, the study file has {rows}")
    first, second = rows
    for kind, swapped, block, choice, shown, submitted, code, n_items in rows:
        if kind != "triplet" or block != 1 or n_items != 3 or swapped not in (0, 1):
            raise Failure(f"not a triplet of block 1 with 3 images: {rows}")
        if not 0 < shown <= submitted:
            raise Failure(f"times out of order: {rows}")
    # "3" picked the left image: the drawn A, unless the sides were swapped.
    if first[3] != (B_CLOSER if first[1] else A_CLOSER):
        raise Failure(f"the first trial's choice {first[3]} (swapped {first[1]}) is not the left "
                      "image")
    if second[3] != NEITHER:
        raise Failure(f"the second trial's choice {second[3]} is not 'neither'")
    if first[6] != second[6]:
        raise Failure(f"the trials are from two participants: {rows}")
    print(f"ok: the plan sort:2,triplet:2 by keyboard; 2 sorting answers and the trials {rows} "
          "in the study file")


run(main, tmp)
