#!/usr/bin/env python3
# test-experimenter-keys.py — the experimenter's views on a study file, keyboard only, with
# real X key events (xdotool under the test's Xvfb).
#
# A finished study of 24 images in two folders is made with likeness-cli; the app opens it with
# --experimenter=STUDY. The app logs (g_debug, G_MESSAGES_DEBUG=lk-app) when the replay is in,
# each focus change (the focused widget's CSS name) and each selection (item and file name).
# Tab must reach every view, including the cluster heatmap, which shows because the images
# come from two folders; the arrow keys in the embedding move the selection; Right and Enter in
# the k-NN strip follow a neighbour; Ctrl+F and typing part of a name select that image. Exit 77 (skip) without DISPLAY or xdotool.
#
# Usage: test-experimenter-keys.py LIKENESS LIKENESS_CLI
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
VIEWS = ["lk-embedding-view", "lk-knn-view", "lk-convergence-view", "lk-progress-view",
         "lk-cluster-heatmap-view"]

if not os.environ.get("DISPLAY"):
    print("SKIP: no DISPLAY")
    sys.exit(77)
if shutil.which("xdotool") is None:
    print("SKIP: no xdotool")
    sys.exit(77)

APP, CLI = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix="lk-keys-")
log_path = os.path.join(tmp, "app.log")
proc = None


def png(path, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * 24 for _ in range(16))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 24, 16, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def lines():
    with open(log_path, errors="replace") as f:
        return f.read().splitlines()


def wait_for(predicate, what):
    end = time.monotonic() + TIMEOUT
    while True:
        value = predicate()
        if value:
            return value
        if proc.poll() is not None:
            raise SystemExit(f"FAIL: the app exited ({proc.returncode}) waiting for {what}")
        if time.monotonic() > end:
            raise SystemExit(f"FAIL: timed out waiting for {what}\n" + "\n".join(lines()[-20:]))
        time.sleep(0.02)


def logged(prefix):
    return [l.split(prefix, 1)[1].strip() for l in lines() if prefix in l]


def key(*keys):
    """Presses @keys, then waits until the app has logged something more (or 0.3 s)."""
    n = len(lines())
    subprocess.run(["xdotool", "key", "--delay", "40", *keys], check=True)
    end = time.monotonic() + 0.3
    while len(lines()) == n and time.monotonic() < end:
        time.sleep(0.02)


try:
    images = os.path.join(tmp, "images")
    for f, folder in enumerate(["cats", "dogs"]):
        os.makedirs(os.path.join(images, folder))
        for i in range(12):
            c = (i * 2654435761 + f * 977) & 0xFFFFFF
            png(os.path.join(images, folder, f"{folder}-{i:03}.png"), (c >> 16, c >> 8 & 255, c & 255))
    study = os.path.join(tmp, "keys.likeness")
    subprocess.run([CLI, "create", "--images", images, "--budget", "12", "--phases", "3", "--nq", "8",
                    "--nc", "3", "--k", "10", "--iterations", "20", study], check=True,
                   capture_output=True)
    subprocess.run([CLI, "answer", "--participant", "P-KEYS", study], check=True, capture_output=True)

    env = dict(os.environ, G_MESSAGES_DEBUG="lk-app", GSK_RENDERER="cairo")
    with open(log_path, "w") as log:
        proc = subprocess.Popen([APP, f"--experimenter={study}"], stdout=log, stderr=log, env=env,
                                start_new_session=True)
    wait_for(lambda: logged("experimenter replayed"), "the replay")
    wid = wait_for(lambda: subprocess.run(["xdotool", "search", "--onlyvisible", "--pid",
                                           str(proc.pid)], capture_output=True,
                                          text=True).stdout.split(), "the window")[0]
    subprocess.run(["xdotool", "windowfocus", "--sync", wid], check=False)
    time.sleep(0.5)   # the heatmap's tables come from a worker thread

    # Tab goes round every view.
    for _ in range(40):
        key("Tab")
        if all(v in logged("experimenter focus") for v in VIEWS):
            break
    missing = [v for v in VIEWS if v not in logged("experimenter focus")]
    if missing:
        raise SystemExit(f"FAIL: Tab never reached {missing}: {logged('experimenter focus')}")

    # To the embedding, then the arrows move the selection.
    for _ in range(40):
        if logged("experimenter focus")[-1] == "lk-embedding-view":
            break
        key("Tab")
    before = len(logged("experimenter selected"))
    key("Right")
    key("Down")
    key("Left")
    moves = logged("experimenter selected")[before:]
    if len(moves) < 2 or len(set(moves)) < 2:
        raise SystemExit(f"FAIL: the arrows did not move the selection: {moves}")

    # To the k-NN strip: Right, then Enter follows the second neighbour.
    for _ in range(40):
        if logged("experimenter focus")[-1] == "lk-knn-view":
            break
        key("Tab")
    before = logged("experimenter selected")
    key("Right")
    key("Return")
    after = logged("experimenter selected")
    if len(after) <= len(before) or after[-1] == before[-1]:
        raise SystemExit(f"FAIL: Enter in the k-NN strip did not follow a neighbour: {after[-3:]}")

    # Ctrl+F, then part of a name: that image is selected.
    key("ctrl+f")
    subprocess.run(["xdotool", "type", "--delay", "60", "dogs-007"], check=True)
    wait_for(lambda: any(m.endswith(" dogs-007.png") for m in logged("experimenter selected")),
             "dogs-007.png selected")
    print("ok: Tab reached every view; arrows and the search selected images")
finally:
    if proc is not None and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    shutil.rmtree(tmp, ignore_errors=True)
