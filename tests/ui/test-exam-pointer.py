#!/usr/bin/env python3
# test-exam-pointer.py — a participant's training, exam and sorting, with the real X pointer only.
#
# The study is made with `likeness-cli create`, given four known answers with `likeness-cli gold
# --import` (two training pages and two exam grids, four images in two groups each) and the plan
# training:2,exam:2,sort:3 with `likeness-cli settings`. Under the test's Xvfb (lkxdo.py), the
# participant only moves and clicks the mouse: "Start" on the overview, "I Agree", "Start" on
# the instructions; on each training page one image dragged into a bin and Submit, then
# Continue on its feedback (once it takes it: the page prints "ready"); Continue on the break
# and Start on the exam's instructions; on each exam grid every image dragged into the bin its
# known answer has it in, and Submit; then the sorting block: one image into a bin and Submit,
# three times, and the thank-you page. Each step waits for the page the app shows.
#
# The study file then holds: no training answer (training is not stored), the two exam answers
# with their known answers and the bins dragged, the three sorting answers, and the participant
# still active (passed). Exit 77 (skip) without DISPLAY or xdotool.
#
# With a third argument WIDTHxHEIGHT (1024x600 in the suite) the window is that size, as on a
# small laptop's screen, and every click and drop must land inside it.
#
# Usage: test-exam-pointer.py LIKENESS LIKENESS_CLI [WIDTHxHEIGHT]
import os
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lkxdo import App, Failure, drag, make_study, new_tmp, run, skip_unless_possible  # noqa: E402

skip_unless_possible()
APP, CLI = sys.argv[1], sys.argv[2]
SIZE = tuple(int(v) for v in sys.argv[3].split("x")) if len(sys.argv) > 3 else None
NQ, NC = 6, 3
tmp = new_tmp("lk-exam-pointer-")

# The known answers: name, use, images (c00.png …), bins in display order.
GOLD = [("train-a", "training", [0, 1, 2, 3], [0, 0, 1, 1]),
        ("train-b", "training", [4, 5, 6, 7], [0, 1, 0, 1]),
        ("exam-a", "exam", [10, 11, 12, 13], [1, 1, 0, 0]),
        ("exam-b", "exam", [14, 15, 16, 17], [0, 1, 1, 0])]


def read(study, sql):
    with sqlite3.connect(f"file:{study}?mode=ro", uri=True) as db:
        return db.execute(sql).fetchall()


def add_gold(study):
    path = os.path.join(tmp, "gold.csv")
    with open(path, "w") as f:
        f.write("gold,use,position,image,bin,instructions\n")
        for name, use, images, bins in GOLD:
            for position, (image, b) in enumerate(zip(images, bins)):
                f.write(f"{name},{use},{position},c{image:02d}.png,{b},\n")
    subprocess.run([CLI, "gold", study, "--import", path], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([CLI, "settings", study, "--set", "plan=training:2,exam:2,sort:3"], check=True,
                   stdout=subprocess.DEVNULL)


def sort_page(app, label, bins):
    """Drags image p into bin bins[p] (0-based; None leaves it) on grid @label, then clicks
    Submit."""
    c = app.settled("sort", grid=label)
    n = len(c[4])
    place = [-1] * n
    for p, b in enumerate(bins):
        if b is None:
            continue
        drag(app, f"tile-{p}", f"bin-{b + 1}", c)
        place[p] = b
        c = app.settled("sort", grid=label, place=place)
    app.click("submit", c)


def main():
    study = make_study(CLI, tmp, "exam.likeness", 30, "--nq", str(NQ), "--nc", str(NC),
                       "--budget", "12", "--phases", "2", "--k", "10", "--seed", "3")
    add_gold(study)
    app = App(APP, study, tmp, SIZE)

    app.click("start", app.settled("overview"))
    app.click("accept", app.settled("consent"))
    app.click("begin", app.settled("instructions"))

    # Training: a page each, one image in bin 2, its feedback, Continue.
    for page in (1, 2):
        sort_page(app, str(page), [1])
        c = app.wait_for(lambda: (c := app.latest_centres()) and c[1] == "feedback"
                         and "ready" in c[3] and "busy" not in c[3] and c,
                         f"the feedback of training page {page}, ready for Continue")
        app.click("feedback", c)

    # Between the blocks: a break, then the exam's instructions.
    app.click("resume", app.settled("break"))
    app.click("begin", app.settled("instructions"))
    for page, (_, _, _, bins) in zip((1, 2), GOLD[2:]):
        sort_page(app, str(page), bins)

    # Passed: the sorting block, three grids of one image each.
    app.click("resume", app.settled("break"))
    app.click("begin", app.settled("instructions"))
    for grid in (1, 2, 3):
        sort_page(app, str(grid), [2])
    app.settled("done")
    app.stop()

    kinds = dict(read(study, "SELECT q.kind, count(*) FROM answer a JOIN query q ON q.id = a.query "
                             "GROUP BY q.kind"))
    if kinds != {"exam": 2, "sort": 3}:
        raise Failure(f"answers by kind {kinds}, expected 2 exam and 3 sort (training not stored)")
    status = read(study, "SELECT status FROM participant")
    if status != [("active",)]:
        raise Failure(f"the participant's status is {status}, expected active (passed)")
    for name, _, images, bins in GOLD[2:]:
        rows = read(study, "SELECT i.path, ab.bin FROM answer a JOIN query q ON q.id = a.query "
                           "JOIN gold_grid g ON g.id = q.gold JOIN answer_bin ab "
                           "ON ab.answer = a.id JOIN query_item qi ON qi.query = q.id "
                           "AND qi.position = ab.position JOIN image i ON i.item = qi.item "
                           f"WHERE g.name = '{name}'")
        got = dict(rows)
        want = {f"c{i:02d}.png": b for i, b in zip(images, bins)}
        if got != want:
            raise Failure(f"the exam answer to {name} is {got}, expected {want}")
    print("ok: training, exam (passed) and sorting by pointer only; the exam's answers, the "
          "sorting answers and the participant's status in the study file")


run(main, tmp)
