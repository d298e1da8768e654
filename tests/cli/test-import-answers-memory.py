#!/usr/bin/python3
"""import-answers streams its CSV: importing a ~20 MB tidy CSV must not need memory in
proportion to the file. The same study imports a small CSV (the baseline) and a ~20 MB one made
of the same rows repeated with fresh answer, participant and session columns (so each copy is a
new answer, not one the study already holds); both must add every answer, and the big import's
peak resident memory may exceed the small one's by at most half the big file's size.

Why this shape: what the import keeps for each answer (its images, bins and fingerprint) is a
few hundred bytes whatever the file's rows look like, so the rows here carry long image paths
(about 250 bytes a row) to make the file big with few answers. An import that reads the whole
file first needs at least the file's size more; one that streams needs a few MB more.
Measured (Debian 12, debugoptimized, in the suite's environment): the small CSV's import
peaks at 14.6 MB; the 19.8 MB CSV's (31,200 rows, 1,560 answers) at +2.4 MB over it; the same
import with the file read into memory first (g_file_get_contents() of the CSV at the start of
lk_export_import_answers()) at +21.1 MB, and the test fails. The allowance is 10 MB.
Peak RSS against a baseline of the same run rather than an address-space limit (prlimit --as):
what a process maps before it reads a byte (locale archive, GIO modules, malloc arenas of
threads) differs between machines by more than the file's size, a difference of peaks does not.

Peak RSS comes from os.wait4() on each child; no timing is involved.
Usage: test-import-answers-memory.py LIKENESS_CLI"""
import csv
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

BIG_MB = 20
ALLOWED_GROWTH_KB = BIG_MB * 1000 // 2


def png(path, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * 16 for _ in range(16))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def run(cli, args, out_path):
    """Runs the CLI; returns (exit status, stdout + stderr, peak RSS in KB)."""
    with open(out_path, "w") as out:
        p = subprocess.Popen([cli] + args, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
    with open(out_path) as f:
        return p.returncode, f.read(), usage.ru_maxrss


def check(cli, args, out_path):
    rc, text, _ = run(cli, args, out_path)
    if rc != 0:
        sys.exit("likeness-cli %s failed (%d):\n%s" % (" ".join(args), rc, text))
    return text


def repeat(rows, header, path, copies):
    """Writes @copies copies of @rows, each with its own answer, participant and session."""
    with open(path, "w", newline="") as out:
        out.write(",".join(header) + "\n")
        for c in range(copies):
            out.write("".join("c%d-%s,%s-c%d,c%d-%s,%s\n" % (c, r[0], r[1], c, c, r[2], ",".join(r[3:]))
                              for r in rows))


def main():
    cli = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="lk-import-memory-")
    try:
        # Long folder and file names (no commas or quotes, so rows can be joined back by hand).
        folder = os.path.join(tmp, "imgs", "d" * 200, "e" * 200)
        os.makedirs(folder)
        for i in range(40):
            png(os.path.join(folder, "image-%02d-%s.png" % (i, "f" * 150)),
                [(i * 53) % 256, (i * 101) % 256, (i * 29) % 256])
        study = os.path.join(tmp, "s.likeness")
        check(cli, ["create", study, "--images", os.path.join(tmp, "imgs"), "--budget", "40",
                    "--phases", "2", "--nq", "20", "--k", "20", "--seed", "3"], tmp + "/out")
        check(cli, ["answer", study, "--count", "10"], tmp + "/out")
        check(cli, ["export", study, "--answers", tmp + "/a.csv"], tmp + "/out")
        with open(tmp + "/a.csv", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            rows = list(reader)
        n_answers = len({r[0] for r in rows})
        if n_answers != 10:
            sys.exit("expected 10 answers in the export, got %d" % n_answers)
        per_copy = sum(len(",".join(r)) + 20 for r in rows)
        big_copies = BIG_MB * 1000 * 1000 // per_copy
        repeat(rows, header, tmp + "/small.csv", 2)
        repeat(rows, header, tmp + "/big.csv", big_copies)
        big_bytes = os.path.getsize(tmp + "/big.csv")

        peaks = {}
        for name, copies in (("small", 2), ("big", big_copies)):
            target = os.path.join(tmp, name + ".likeness")
            shutil.copyfile(study, target)
            rc, text, peak = run(cli, ["import-answers", target, "%s/%s.csv" % (tmp, name)],
                                 tmp + "/out")
            expected = "imported %d answers" % (copies * n_answers)
            if rc != 0 or text.strip() != expected:
                sys.exit("import-answers of the %s CSV: exit %d, printed %r, expected %r"
                         % (name, rc, text, expected))
            peaks[name] = peak
        growth = peaks["big"] - peaks["small"]
        print("small CSV: peak %d KB; big CSV (%.1f MB, %d rows, %d answers): peak %d KB, "
              "%+d KB (allowed %d KB)" % (peaks["small"], big_bytes / 1e6, big_copies * len(rows),
                                          big_copies * n_answers, peaks["big"], growth,
                                          ALLOWED_GROWTH_KB))
        if growth > ALLOWED_GROWTH_KB:
            sys.exit("import-answers of a %.1f MB CSV took %d KB more resident memory than of a "
                     "small one (allowed %d KB): it no longer streams the file"
                     % (big_bytes / 1e6, growth, ALLOWED_GROWTH_KB))
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
