# lkxdo.py — the app under the test's Xvfb, driven with xdotool, for test-pointer-drag.py and
# test-keyboard-session.py.
#
# The app runs with LIKENESS_PRINT_CENTRES=1: after each painted frame that moved them it prints
# the centres of its widgets, the page shown, the grid, the focused image and where each image is
# (src/app/widgets/lk-pointer-probe.c, lk_sort_page_append_centres()), and for the windows that
# have a probe of their own (the browser, Sort Grids, Known Answers, a dialog) a "window" line
# with their X window and the centres of their named widgets and buttons. Every wait is on such
# a printed condition with a timeout, never a fixed sleep for correctness.
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
EDGE = 24     # px: how far inside the window a clicked centre must be


class Failure(Exception):
    pass


def skip_unless_possible():
    """Exits 77 (skip) without DISPLAY or xdotool."""
    why = None
    if not os.environ.get("DISPLAY"):
        why = "no DISPLAY"
    elif shutil.which("xdotool") is None:
        why = "no xdotool (build-aux/install-deps.sh installs it)"
    if why:
        print(f"SKIP: {why}")
        sys.exit(77)


def png(path, w, h, rgb):
    """Writes a one-colour PNG."""
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def make_study(cli, tmp, name, n_images=30, *options):
    """Creates a study of @n_images one-colour images; returns its path."""
    images = os.path.join(tmp, "images")
    study = os.path.join(tmp, name)
    os.makedirs(images)
    for i in range(n_images):
        png(os.path.join(images, f"c{i:02d}.png"), 32, 32,
            ((i * 83) % 256, (i * 149) % 256, (i * 37) % 256))
    subprocess.run([cli, "create", study, "--images", images, *options], check=True,
                   stdout=subprocess.DEVNULL)
    return study


def xdotool(*args):
    return subprocess.run(["xdotool", *map(str, args)], check=True, capture_output=True,
                          text=True).stdout


_apps = []


class App:
    """The app on a study, in its own process group, its output in a log file."""

    def __init__(self, binary, study, tmp, size=None, args=None, config=None):
        """@size: (width, height) to resize the window to once it shows, as a small laptop's
        screen would have it; every click then must land inside that window. @args: the
        command line after the binary, instead of the study's path. @config: a folder for
        XDG_CONFIG_HOME (GTK's settings.ini)."""
        _apps.append(self)
        self.size = size
        self.resized = False
        self.log_path = os.path.join(tmp, f"app-{len(_apps)}.log")
        env = dict(os.environ, LIKENESS_PRINT_CENTRES="1", G_MESSAGES_DEBUG="lk-app")
        if config is not None:
            env["XDG_CONFIG_HOME"] = config
        with open(self.log_path, "w") as log:
            self.proc = subprocess.Popen([binary, *(args or [study])], stdout=log, stderr=subprocess.STDOUT,
                                         env=env, start_new_session=True)

    def stop(self):
        """Stops the app's process group (SIGTERM, then SIGKILL after 10 s)."""
        if self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def log_text(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def print_log_tail(self, n=30):
        if os.path.exists(self.log_path):
            print(f"--- app log (last {n} lines) ---")
            print("\n".join(self.log_text().splitlines()[-n:]))

    def count(self, text):
        return self.log_text().count(text)

    def wait_for(self, predicate, what, timeout=TIMEOUT):
        """Polls @predicate until it returns something true; fails after @timeout seconds, or
        at once if the app exits."""
        end = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if self.proc.poll() is not None:
                raise Failure(f"the app exited ({self.proc.returncode}) while waiting for {what}")
            if time.monotonic() > end:
                raise Failure(f"timed out after {timeout:.0f} s waiting for {what}")
            time.sleep(0.02)

    def latest_centres(self):
        """The last line the app printed: (serial, page, {name: (x, y)}, flags, place)."""
        last = None
        for line in self.log_text().splitlines():
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

    def settled(self, page, grid=None, place=None, focus=None):
        """Waits until the page shown is @page (grid @grid, images at @place, the focus on
        image @focus), not fading; returns its centres."""
        def check():
            c = self.latest_centres()
            if c is None or c[1] != page or "busy" in c[3]:
                return None
            if grid is not None and f"grid={grid}" not in c[3]:
                return None
            if place is not None and c[4] != place:
                return None
            if focus is not None and c[2].get("focus") != focus:
                return None
            return c
        return self.wait_for(check, f"page {page} grid {grid} place {place} focus {focus}")

    def window(self):
        """The app's X window and its position on the screen."""
        def find():
            r = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(self.proc.pid)],
                               capture_output=True, text=True)
            ids = r.stdout.split()
            return ids[0] if ids else None
        wid = self.wait_for(find, "the app's window")
        if self.size is not None and not self.resized:
            self.resized = True
            xdotool("windowsize", "--sync", wid, *self.size)
        geometry = dict(line.split("=", 1)
                        for line in xdotool("getwindowgeometry", "--shell", wid).split())
        if self.size is not None and (int(geometry["WIDTH"]), int(geometry["HEIGHT"])) != self.size:
            raise Failure(f"the window is {geometry['WIDTH']}x{geometry['HEIGHT']}, not "
                          f"{self.size[0]}x{self.size[1]}: a page does not fit")
        self.width, self.height = int(geometry["WIDTH"]), int(geometry["HEIGHT"])
        return wid, int(geometry["X"]), int(geometry["Y"])

    def probe_window(self, name):
        """The last line the app printed for its window @name, as (serial, {widget: (x, y)},
        xid, flags); None before it is shown or once it is gone."""
        last = None
        for line in self.log_text().splitlines():
            words = line.split()
            if len(words) > 3 and words[0] == "window" and words[2] == name:
                last = words
        if last is None or last[3] == "unmapped":
            return None
        points, xid, flags = {}, None, set()
        for word in last[3:]:
            key, _, value = word.partition("=")
            if key == "xid":
                xid = int(value)
            elif value.count(",") == 1:
                x, y = value.split(",")
                points[key] = (int(x), int(y))
            elif not value:
                flags.add(key)
        return int(last[1]), points, xid, flags

    def window_showing(self, name, widget):
        """Waits until the app's window @name shows @widget and is not busy; returns its
        line."""
        return self.wait_for(lambda: (w := self.probe_window(name)) and widget in w[1]
                             and "busy" not in w[3] and w, f"{widget} in the window {name}")

    def window_gone(self, name):
        """Waits until the app's window @name is not shown."""
        self.wait_for(lambda: self.probe_window(name) is None, f"the window {name} to go")

    def geometry(self, xid):
        """An X window's position and size on the screen: (x, y, width, height)."""
        g = dict(line.split("=", 1)
                 for line in xdotool("getwindowgeometry", "--shell", xid).split())
        return int(g["X"]), int(g["Y"]), int(g["WIDTH"]), int(g["HEIGHT"])

    def click_in(self, name, widget):
        """Clicks @widget of the app's window @name, once that shows it, checking that it is
        inside the window."""
        _, points, xid, _ = self.window_showing(name, widget)
        x0, y0, width, height = self.geometry(xid)
        x, y = points[widget]
        if not (0 <= x < width and 0 <= y < height):
            raise Failure(f"{widget} at {x},{y} is outside the {width}x{height} window {name}")
        xdotool("mousemove", x0 + x, y0 + y, "sleep", 0.1, "click", 1)

    def screen_point(self, name, centres, xid=None):
        """@name's point on the screen; @xid: the X window the centres are in, when it is not
        the app's first window."""
        if xid is None:
            _, x0, y0 = self.window()
        else:
            x0, y0, self.width, self.height = self.geometry(xid)
        if name not in centres[2]:
            raise Failure(f"no {name} on page {centres[1]}: {sorted(centres[2])}")
        x, y = centres[2][name]
        if not (0 <= x < self.width and 0 <= y < self.height):
            raise Failure(f"{name} at {x},{y} is outside the {self.width}x{self.height} window")
        return x0 + x, y0 + y

    def click(self, name, centres, xid=None):
        """Clicks @name; one out of sight below or above (a page taller than a small screen)
        is first scrolled to with the wheel, as a person would. @xid: the X window the centres
        are in, when it is not the app's first window."""
        for _ in range(30):
            if xid is None:
                wid, x0, y0 = self.window()
            else:
                x0, y0, self.width, self.height = self.geometry(xid)
            if name not in centres[2]:
                break
            y = centres[2][name][1]
            # Clear of the edges: a centre a few pixels inside the window is a button cut off
            # by it, and a press there lands in the window's resize border.
            if EDGE <= y < self.height - EDGE:
                break
            serial = centres[0]
            xdotool("mousemove", x0 + self.width // 2, y0 + self.height // 2, "sleep", 0.05,
                    "click", 5 if y >= self.height - EDGE else 4)
            centres = self.wait_for(lambda: (c := self.latest_centres()) and c[0] != serial and c,
                                    f"the page to scroll towards {name}")
        x, y = self.screen_point(name, centres, xid)
        xdotool("mousemove", x, y, "sleep", 0.1, "click", 1)

    def key(self, *names):
        """Types @names (xdotool key names, "ctrl+z" for a chord) at the app's window."""
        wid, _, _ = self.window()
        xdotool("windowfocus", "--sync", wid)
        xdotool("key", *names)


def drag(app, source, target, centres, xid=None):
    """Drags the sorting page's @source ("tile-P") onto @target ("bin-N" or "grid") with the
    button held, in 12 steps: GTK starts a drag only after the pointer has moved past its
    threshold with the button down, and XDND needs motion events over the target before the
    drop. @xid: the X window of the sorting page, when it is not the app's first window."""
    sx, sy = app.screen_point(source, centres, xid)
    tx, ty = app.screen_point(target, centres, xid)
    entered = "drag entered the grid" if target == "grid" else f"drag entered bin {target[4:]}"
    position = int(source[5:])
    dropped = (f"drop of image {position} on the grid" if target == "grid"
               else f"drop of image {position} on bin {target[4:]}")
    n_entered, n_dropped = app.count(entered), app.count(dropped)

    xdotool("mousemove", sx, sy, "sleep", 0.2, "mousedown", 1, "sleep", 0.1)
    steps = []
    for i in range(1, 13):
        steps += ["mousemove", sx + (tx - sx) * i // 12, sy + (ty - sy) * i // 12, "sleep", 0.02]
    xdotool(*steps)
    # Let go only once the target has seen the drag (the XDND round trip done), so that the
    # drop is not lost when the machine is busy; one more small motion confirms the position.
    try:
        app.wait_for(lambda: app.count(entered) > n_entered, f"'{entered}'")
        xdotool("mousemove", tx + 2, ty + 1, "sleep", 0.1)
    finally:
        xdotool("mouseup", 1)
    app.wait_for(lambda: app.count(dropped) > n_dropped, f"'{dropped}'")


def run(main, tmp):
    """Runs @main(); then stops every app it started, removes @tmp and exits 0 on success, 1 on
    failure (with the end of each app's log)."""
    status = 1
    try:
        main()
        status = 0
    except (Failure, subprocess.CalledProcessError) as e:
        print(f"FAIL: {e}")
        for app in _apps:
            app.print_log_tail()
    finally:
        for app in _apps:
            app.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(status)


def new_tmp(prefix):
    return tempfile.mkdtemp(prefix=prefix)
