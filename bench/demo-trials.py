#!/usr/bin/python3
# demo-trials.py — a labelled collection whose labels do not follow colour, and simulated raters'
# trials of every task other than sorting, for `likeness-cli score` (bench-scores.sh).
#
#   demo-trials.py images DIR N SEED        N images (PNG) in DIR and DIR/../truth.csv
#   demo-trials.py trials TRUTH SEED OUT    a trials CSV (the form `export --trials` writes)
#
# Each image is a blob of a random colour at a random place; its label (one of 4) is not drawn,
# so neither the colour nor the HOG descriptor can see it. The ground truth (truth.csv, the form
# `likeness-cli answer --truth` reads) is the label one-hot plus N(0, 0.15) noise per dimension.
# The raters judge by Euclidean distance in the truth, and answer at random with probability
# 0.1: triplets (Q uniform; A from Q's label half the time; 3 raters), forced choices (a
# target of Q's label at a random position, 4 others; 3 raters), match pages (10 candidates, one
# of Q's label), intruder HITs (7 of one label and 1 of another; 3 raters). bench-scores.sh now
# uses only the images mode (`likeness-cli answer --trials` draws and answers the trials with
# the engine); the trials mode stays for a trials CSV to feed `import-trials` by hand.
# SPDX-License-Identifier: GPL-3.0-or-later
import csv
import math
import os
import random
import sys

LABELS = 4
NOISE = 0.1
HEADER = ("answer,participant,session,query,kind,block,group,phase,position,item,path,role,side,"
          "key,chosen,choice,shown_us,submitted_us").split(",")


def make_images(folder, n, seed):
    import gi
    gi.require_version("GdkPixbuf", "2.0")
    from gi.repository import GdkPixbuf

    rng = random.Random(seed)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(os.path.dirname(os.path.abspath(folder)), "truth.csv"), "w",
              newline="") as f:
        out = csv.writer(f)
        out.writerow(["id"] + ["f%d" % (d + 1) for d in range(LABELS)])
        for i in range(n):
            label = i % LABELS
            size = 64
            back = bytes((240, 240, 240))
            colour = bytes(rng.randrange(256) for _ in range(3))
            cx, cy, r = rng.randrange(16, 48), rng.randrange(16, 48), rng.randrange(8, 16)
            data = bytearray()
            for y in range(size):
                for x in range(size):
                    data += colour if (x - cx) ** 2 + (y - cy) ** 2 <= r * r else back
            pixbuf = GdkPixbuf.Pixbuf.new_from_data(bytes(data), GdkPixbuf.Colorspace.RGB, False,
                                                    8, size, size, size * 3)
            name = "img%04d.png" % i
            pixbuf.savev(os.path.join(folder, name), "png", [], [])
            features = [(1.0 if d == label else 0.0) + rng.gauss(0, 0.15) for d in range(LABELS)]
            out.writerow([name] + ["%.6f" % v for v in features])


def read_truth(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))[1:]
    return [r[0] for r in rows], [[float(v) for v in r[1:]] for r in rows]


def main_trials(truth_path, seed, out_path):
    rng = random.Random(seed)
    paths, feats = read_truth(truth_path)
    n = len(paths)
    label = [max(range(LABELS), key=lambda d: feats[i][d]) for i in range(n)]
    by_label = [[i for i in range(n) if label[i] == c] for c in range(LABELS)]

    def dist(a, b):
        return math.sqrt(sum((x - y) ** 2 for x, y in zip(feats[a], feats[b])))

    rows = []
    answer = [0]
    clock = [1_000_000]

    def emit(kind, rater, group, items, roles, sides, key, choice, chosen):
        answer[0] += 1
        shown = clock[0]
        clock[0] += 2_000_000 + rng.randrange(3_000_000)
        for p, item in enumerate(items):
            rows.append([answer[0], "R%d" % rater, "", answer[0], kind, 0, group, 0, p, 0,
                         paths[item], roles[p], sides[p], int(p == key), int(p == chosen),
                         "none" if choice == -1 else choice, shown, clock[0]])

    group = 0
    # Triplets: the answer by the truth's order, "both similar" when the two are nearly as far.
    for t in range(60):
        group += 1
        q = rng.randrange(n)
        a = rng.choice([i for i in by_label[label[q]] if i != q]) if t % 2 == 0 else q
        while a == q:
            a = rng.randrange(n)
        b = rng.randrange(n)
        while b in (q, a):
            b = rng.randrange(n)
        for rater in range(3):
            swapped = rng.random() < 0.5
            da, db = dist(q, a), dist(q, b)
            choice = 1 if abs(da - db) < 0.1 else (3 if da < db else 4)
            if rng.random() < NOISE:
                choice = rng.randrange(1, 5)
            sides = ["top", "right" if swapped else "left", "left" if swapped else "right"]
            emit("triplet", rater, group, [q, a, b], ["query", "a", "b"], sides, -1, choice,
                 {3: 1, 4: 2}.get(choice, -1))
    # Forced choices with a target of the query's label.
    for t in range(30):
        group += 1
        q = rng.randrange(n)
        target = rng.choice([i for i in by_label[label[q]] if i != q])
        others = rng.sample([i for i in range(n) if label[i] != label[q]], 4)
        cands = others[:]
        cands.insert(rng.randrange(5), target)
        items = [q] + cands
        key = items.index(target)
        for rater in range(3):
            pick = min(range(1, 6), key=lambda p: dist(q, items[p]))
            if rng.random() < NOISE:
                pick = rng.randrange(1, 6)
            emit("choice5", rater, group, items, ["query"] + ["candidate"] * 5, [""] * 6, key,
                 pick, pick)
    # Match pages of 10, one candidate of the query's label.
    for t in range(40):
        q = rng.randrange(n)
        partner = rng.choice([i for i in by_label[label[q]] if i != q])
        cands = rng.sample([i for i in range(n) if label[i] != label[q]], 9)
        cands.insert(rng.randrange(10), partner)
        items = [q] + cands
        pick = min(range(1, 11), key=lambda p: dist(q, items[p]))
        if rng.random() < NOISE:
            pick = -1
        emit("match", t % 3, 0, items, ["query"] + ["candidate"] * 10, [""] * 11,
             items.index(partner), pick, pick)
    # Intruder HITs: 7 of one label, 1 of another.
    for t in range(20):
        group += 1
        main, other = rng.sample(range(LABELS), 2)
        items = rng.sample(by_label[main], 7) + [rng.choice(by_label[other])]
        rng.shuffle(items)
        key = next(p for p, i in enumerate(items) if label[i] == other)
        for rater in range(3):
            pick = max(range(8), key=lambda p: sum(dist(items[p], j) for j in items))
            if rng.random() < NOISE:
                pick = rng.randrange(8)
            emit("intruder", rater, group, items, ["image"] * 8, [""] * 8, key, pick, pick)

    with open(out_path, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(HEADER)
        out.writerows(rows)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "images":
        make_images(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) == 5 and sys.argv[1] == "trials":
        main_trials(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        sys.exit(__doc__ or "usage: demo-trials.py images DIR N SEED | trials TRUTH SEED OUT")
