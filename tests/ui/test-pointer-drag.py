#!/usr/bin/env python3
# test-pointer-drag.py — a participant's session with the real X pointer and keyboard.
#
# The app runs on a study file made with `likeness-cli create`, under the test's Xvfb, with no
# window manager. xdotool sends real X events through XTEST; GTK receives them through XI2 and
# does its own drag and drop over XDND (a drag needs real motion events in between, not one
# jump). The app prints the centres of its widgets after each painted frame that moved them
# (LIKENESS_PRINT_CENTRES, see src/app/widgets/lk-pointer-probe.c) and logs drops with g_debug (G_MESSAGES_DEBUG=lk-app).
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
# Usage: test-pointer-drag.py LIKENESS LIKENESS_CLI
import csv
import io
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib

TIMEOUT = 20.0


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(77)


if not os.environ.get("DISPLAY"):
    skip("no DISPLAY")
if shutil.which("xdotool") is None:
    skip("no xdotool (build-aux/install-deps.sh installs it)")

APP, CLI = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix="lk-pointer-")
log_path = os.path.join(tmp, "app.log")
proc = None


class Failure(Exception):
    pass


def png(path, w, h, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def log_text():
    with open(log_path, errors="replace") as f:
        return f.read()


def wait_for(predicate, what, timeout=TIMEOUT):
    """Polls @predicate until it returns something true; fails after @timeout seconds."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if proc.poll() is not None:
            raise Failure(f"the app exited ({proc.returncode}) while waiting for {what}")
        if time.monotonic() > end:
            raise Failure(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.02)


def latest_centres():
    """The last line the app printed: (serial, page, {name: (x, y)}, flags, place)."""
    last = None
    for line in log_text().splitlines():
        if line.startswith("centres "):
            last = line
    if last is None:
        return None
    words = last.split()
    serial, page, points, flags, place = int(words[1]), words[2], {}, set(), None
    for word in words[3:]:
        if word.startswith("place="):
            place = [int(b) for b in word[6:].split(",")]
        elif word.startswith("focus="):
            points["focus"] = int(word[6:])
        elif "=" in word and "," in word:
            name, xy = word.split("=", 1)
            x, y = xy.split(",")
            points[name] = (int(x), int(y))
        else:
            flags.add(word)
    return serial, page, points, flags, place


def settled(page, grid=None, place=None):
    """Waits until the page shown is @page (with grid @grid, images at @place), not fading."""
    def check():
        c = latest_centres()
        if c is None or c[1] != page or "busy" in c[3]:
            return None
        if grid is not None and f"grid={grid}" not in c[3]:
            return None
        if place is not None and c[4] != place:
            return None
        return c
    return wait_for(check, f"page {page} grid {grid} place {place}")


def xdotool(*args):
    return subprocess.run(["xdotool", *map(str, args)], check=True, capture_output=True,
                          text=True).stdout


def window():
    """The app's X window and its position on the screen."""
    def find():
        r = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(proc.pid)],
                           capture_output=True, text=True)
        ids = r.stdout.split()
        return ids[0] if ids else None
    wid = wait_for(find, "the app's window")
    geometry = dict(line.split("=", 1) for line in xdotool("getwindowgeometry", "--shell", wid).split())
    return wid, int(geometry["X"]), int(geometry["Y"])


def screen_point(name, centres):
    _, x0, y0 = window()
    if name not in centres[2]:
        raise Failure(f"no {name} on page {centres[1]}: {sorted(centres[2])}")
    x, y = centres[2][name]
    return x0 + x, y0 + y


def click(name, centres):
    x, y = screen_point(name, centres)
    xdotool("mousemove", x, y, "sleep", 0.1, "click", 1)


def key(name):
    wid, _, _ = window()
    xdotool("windowfocus", "--sync", wid)
    xdotool("key", name)


def count(text):
    return log_text().count(text)


def drag(source, target, centres):
    """Drags @source onto @target with the button held, in 12 steps: GTK starts a drag only
    after the pointer has moved past its threshold with the button down, and XDND needs motion
    events over the target before the drop."""
    sx, sy = screen_point(source, centres)
    tx, ty = screen_point(target, centres)
    entered = "drag entered the grid" if target == "grid" else f"drag entered bin {target[4:]}"
    position = int(source[5:])
    dropped = (f"drop of image {position} on the grid" if target == "grid"
               else f"drop of image {position} on bin {target[4:]}")
    n_entered, n_dropped = count(entered), count(dropped)

    xdotool("mousemove", sx, sy, "sleep", 0.2, "mousedown", 1, "sleep", 0.1)
    steps = []
    for i in range(1, 13):
        steps += ["mousemove", sx + (tx - sx) * i // 12, sy + (ty - sy) * i // 12, "sleep", 0.02]
    xdotool(*steps)
    # Let go only once the target has seen the drag (the XDND round trip done), so that the
    # drop is not lost when the machine is busy; one more small motion confirms the position.
    try:
        wait_for(lambda: count(entered) > n_entered, f"'{entered}'")
        xdotool("mousemove", tx + 2, ty + 1, "sleep", 0.1)
    finally:
        xdotool("mouseup", 1)
    wait_for(lambda: count(dropped) > n_dropped, f"'{dropped}'")


def main():
    global proc

    images = os.path.join(tmp, "images")
    study = os.path.join(tmp, "drag.likeness")
    os.makedirs(images)
    for i in range(30):
        png(os.path.join(images, f"c{i:02d}.png"), 32, 32, ((i * 83) % 256, (i * 149) % 256, (i * 37) % 256))
    subprocess.run([CLI, "create", study, "--images", images, "--nq", "8", "--nc", "3",
                    "--budget", "3", "--phases", "1", "--k", "10", "--seed", "7"],
                   check=True, stdout=subprocess.DEVNULL)

    env = dict(os.environ, LIKENESS_PRINT_CENTRES="1", G_MESSAGES_DEBUG="lk-app")
    with open(log_path, "w") as log:
        # Its own process group (a new session), stopped as a group in the finally below.
        proc = subprocess.Popen([APP, study], stdout=log, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)

    click("accept", settled("consent"))
    click("begin", settled("instructions"))

    # The practice grid: one image into bin 2, then Enter.
    c = settled("sort", grid="P1")
    n = len(c[4])
    drag("tile-0", "bin-2", c)
    settled("sort", grid="P1", place=[1] + [-1] * (n - 1))
    key("Return")
    click("continue", settled("practice-done"))

    # The first recorded grid.
    c = settled("sort", grid="1", place=[-1] * n)
    drag("tile-0", "bin-1", c)
    c = settled("sort", grid="1", place=[0] + [-1] * (n - 1))
    drag("tile-1", "bin-2", c)
    c = settled("sort", grid="1", place=[0, 1] + [-1] * (n - 2))
    drag("tile-1", "bin-3", c)                    # from one bin to another
    c = settled("sort", grid="1", place=[0, 2] + [-1] * (n - 2))
    drag("tile-2", "bin-1", c)
    c = settled("sort", grid="1", place=[0, 2, 0] + [-1] * (n - 3))
    drag("tile-2", "grid", c)                     # and back out of a bin into the grid
    c = settled("sort", grid="1", place=[0, 2] + [-1] * (n - 2))
    # Real key events through the page's shortcuts: Ctrl+Z undoes the last drop, and 2 puts the
    # image with the focus (or, with none, the first one left in the grid) into bin 2.
    key("ctrl+z")
    c = settled("sort", grid="1", place=[0, 2, 0] + [-1] * (n - 3))
    focus = c[2]["focus"]
    keyed = focus if focus >= 0 else c[4].index(-1)
    place = list(c[4])
    moves_by_key = [(keyed, place[keyed], 1)] if place[keyed] != 1 else []   # none if already there
    place[keyed] = 1
    key("2")
    place = settled("sort", grid="1", place=place)[4]
    key("Return")
    # The answer is in the file before the next grid shows: nothing acknowledged is lost.
    settled("sort", grid="2", place=[-1] * n)

    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=10)

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
    print(f"ok: {count('drop of image')} real drops delivered, Ctrl+Z, the key 2 on image {keyed}; "
          "answer and move log in the study file")


try:
    main()
    status = 0
except (Failure, subprocess.CalledProcessError) as e:
    print(f"FAIL: {e}")
    if os.path.exists(log_path):
        print("--- app log (last 30 lines) ---")
        print("\n".join(log_text().splitlines()[-30:]))
    status = 1
finally:
    if proc is not None and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    shutil.rmtree(tmp, ignore_errors=True)
sys.exit(status)
