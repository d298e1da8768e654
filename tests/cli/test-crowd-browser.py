#!/usr/bin/python3
"""The crowd task page in a real headless Chromium: crowd-export a grid for each platform with
local images, load task.html, let a script sort the images (drag and drop into bins for MTurk;
colour keys and clicks on the Toloka palette), submit, and check that crowd-import accepts the
answer the page produced, with the bins the script chose.

Chromium is driven through the DevTools protocol over --remote-debugging-pipe (file descriptors
3 and 4, NUL-separated JSON), so only the standard library is needed. Without Chromium the test
is skipped (exit 77); CI installs it (build-aux/install-deps.sh).
Usage: test-crowd-browser.py LIKENESS_CLI"""
import csv
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

SKIP = 77


def png(path, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * 16 for _ in range(16))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class Browser:
    def __init__(self, exe, profile):
        os.makedirs(profile)
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        def fds():
            # Copies first: a pipe end may already be 3 or 4, and dup2 onto itself would keep
            # its close-on-exec flag.
            a, b = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(a, 3)
            os.dup2(b, 4)
        self.proc = subprocess.Popen(
            [exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--remote-debugging-pipe", "--user-data-dir=" + profile,
             "--allow-file-access-from-files", "about:blank"],
            preexec_fn=fds, close_fds=False, env=dict(os.environ, TMPDIR=profile),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0
        self.session = None

    def call(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self.buffer:
                chunk = os.read(self.from_child, 65536)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self.buffer += chunk
            raw, self.buffer = self.buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply["result"]

    def evaluate(self, expression):
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                           "awaitPromise": True})
        if "exceptionDetails" in r:
            raise RuntimeError("page script failed: %s" % r["exceptionDetails"])
        return r["result"].get("value")

    def open(self, url):
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        self.call("Page.enable")
        self.call("Page.navigate", {"url": url})
        # Bounded wait for the page and its images, by polling the page (no fixed sleeps).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.evaluate("document.readyState === 'complete' && "
                             "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0) && "
                             "document.images.length > 0"):
                return
            time.sleep(0.05)
        raise RuntimeError("the task page did not load within 60 s: " + url)

    def close(self):
        try:
            self.call("Browser.close", session=False)
        except RuntimeError:
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_child)
        os.close(self.from_child)


def run(cli, *args):
    r = subprocess.run([cli] + list(args), capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("likeness-cli %s failed (%d): %s" % (args[0], r.returncode, r.stderr))
    return r.stdout


SORT_MTURK = """(() => {
  const bins = document.querySelectorAll('.lk-bin');
  const imgs = Array.from(document.querySelectorAll('img.lk-img'));
  const want = %s;
  imgs.forEach((img, pos) => {
    if (pos === 0) {            /* the first one by keyboard: select it, press its bin's number */
      img.click();
      document.dispatchEvent(new KeyboardEvent('keydown', {key: String(want[pos] + 1), bubbles: true}));
      return;
    }
    const dt = new DataTransfer();
    const box = bins[want[pos]];
    img.dispatchEvent(new DragEvent('dragstart', {dataTransfer: dt, bubbles: true}));
    box.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
    box.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
  });
  document.getElementById('lk-submit').click();
  return [document.body.dataset.submitted || '', document.getElementById('lk-sorting').value,
          document.getElementById('lk-message').textContent];
})()"""

SORT_TOLOKA = """(() => {
  const imgs = Array.from(document.querySelectorAll('img.lk-img'));
  const want = %s;
  document.getElementById('lk-submit').click();      /* nothing labelled yet: refused */
  const refusal = document.getElementById('lk-message').textContent;
  for (let g = 0; g < 4; g++) {
    document.dispatchEvent(new KeyboardEvent('keydown', {key: String(g + 1), bubbles: true}));
    imgs.forEach((img, pos) => { if (want[pos] === g) img.click(); });
  }
  document.getElementById('lk-submit').click();
  return [document.body.dataset.submitted || '', document.getElementById('lk-result').value,
          refusal];
})()"""


def main():
    cli = sys.argv[1]
    exe = next((shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None)
    if exe is None:
        print("1..0 # SKIP Chromium is not installed (apt-get install chromium; "
              "build-aux/install-deps.sh does)")
        return SKIP
    tmp = tempfile.mkdtemp()
    browser = None
    try:
        os.mkdir(os.path.join(tmp, "imgs"))
        for i in range(12):
            png(os.path.join(tmp, "imgs", "c%02d.png" % i), [(i * 53) % 256, (i * 97) % 256, (i * 31) % 256])
        study = os.path.join(tmp, "s.likeness")
        run(cli, "create", study, "--images", os.path.join(tmp, "imgs"), "--budget", "8",
            "--phases", "2", "--nq", "6", "--nc", "4", "--k", "6", "--seed", "3")
        browser = Browser(exe, os.path.join(tmp, "profile"))
        for platform in ("mturk", "toloka"):
            out = os.path.join(tmp, platform)
            run(cli, "crowd-export", study, "--platform", platform, "--grids", "1",
                "--base-url", "file://" + out, "--out", out)
            grid = json.load(open(os.path.join(out, "batch.json")))["grids"][0]
            want = [it["item"] % 4 for it in grid["items"]]
            urls = [it["url"] for it in grid["items"]]
            query = "?grid_id=%s&images=%s" % (grid["grid_id"], "|".join(urls))
            browser.open("file://" + os.path.join(out, "task.html") + query)
            script = SORT_MTURK if platform == "mturk" else SORT_TOLOKA
            submitted, answer, message = browser.evaluate(script % json.dumps(want))
            assert submitted == "yes", "the page did not submit: %s" % message
            results = os.path.join(tmp, platform + "-results")
            if platform == "mturk":
                payload = json.loads(answer)
                assert payload["grid_id"] == grid["grid_id"], payload
                with open(results, "w", newline="") as f:
                    w = csv.writer(f, quoting=csv.QUOTE_ALL)
                    w.writerow(["HITId", "AssignmentId", "WorkerId", "AssignmentStatus",
                                "Input.grid_id", "Input.images", "Answer.sorting"])
                    w.writerow(["H1", "A1", "WB", "Approved", grid["grid_id"], "|".join(urls), answer])
            else:
                assert message == "Please, label all images.", message
                with open(results, "w", newline="") as f:
                    w = csv.writer(f, delimiter="\t", lineterminator="\n")
                    w.writerow(["INPUT:grid_id", "INPUT:images", "OUTPUT:result",
                                "ASSIGNMENT:assignment_id", "ASSIGNMENT:worker_id", "ASSIGNMENT:status"])
                    w.writerow([grid["grid_id"], ",".join(json.dumps(u) for u in urls), answer,
                                "T1", "WB", "APPROVED"])
            said = run(cli, "crowd-import", study, results)
            assert said.strip() == "1 answers imported, 0 already present", said
            print("ok - %s: the page's answer imported" % platform)
        tidy = os.path.join(tmp, "answers.csv")
        run(cli, "export", study, "--answers", tidy)
        rows = list(csv.DictReader(open(tidy, newline="")))
        by_participant = {}
        for r in rows:
            by_participant.setdefault(r["participant"], []).append(r)
        assert set(by_participant) == {"mturk:WB", "toloka:WB"}, by_participant.keys()
        for code, rs in by_participant.items():
            for r in rs:
                assert r["bin"] == str(int(r["item"]) % 4), (code, r)
        print("ok - the bins the script chose are stored for both platforms")
        print("1..3")
        return 0
    finally:
        if browser is not None:
            browser.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
