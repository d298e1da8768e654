#!/usr/bin/python3
"""import-answers holds one answer at a time: its peak resident memory must not grow with the
number of answers in the file, nor with the file's size. The same study imports a small CSV (the
baseline, 20 answers) and a big one of 40,000 answers, made of the same rows repeated with fresh
answer, participant and session columns (so each copy is a new answer, not one the study already
holds); both must add every answer, and the big import's peak may exceed the small one's by at
most 8 MB.

Why this shape: grids of 4 images and short image paths make many answers per MB (about 70 bytes
a row, 4 rows an answer), so an import that keeps anything per answer until its transaction
shows it; and the rows of one answer are not contiguous in the big file (each copy is written
in the export's order, then the copies' rows are interleaved), as in a CSV re-sorted in a
spreadsheet, which must still import.
Measured (Debian 12, debugoptimized, one run each): the small CSV's import peaks at 14.9 MB;
the big one (12.8 MB, 160,000 rows) at +4.1 MB over it with the rows streamed into SQLite temp
tables (SQLite's page caches, 2 MB each for the study and for the temp tables, fill up, then
stay: 10, 50 and 200 MB files all peak at 18.3 MB in bench/bench-import-answers.sh); with the
earlier import, which kept every answer (images, bins, fingerprint) in memory until its one
transaction, at +24.5 MB, and the test fails. The allowance, 8 MB, is about twice the caches.
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

BIG_ANSWERS = 40000
SMALL_ANSWERS = 20
ALLOWED_GROWTH_KB = 8000


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
    """Writes @copies copies of @rows, each with its own answer, participant and session, the
    copies' rows interleaved: first row of every copy, then the second, and so on."""
    with open(path, "w", newline="") as out:
        out.write(",".join(header) + "\n")
        for r in rows:
            tail = ",".join(r[3:])
            out.write("".join("c%d-%s,%s-c%d,c%d-%s,%s\n" % (c, r[0], r[1], c, c, r[2], tail)
                              for c in range(copies)))


def main():
    cli = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="lk-import-memory-")
    try:
        os.makedirs(os.path.join(tmp, "imgs"))
        for i in range(40):
            png(os.path.join(tmp, "imgs", "i%02d.png" % i),
                [(i * 53) % 256, (i * 101) % 256, (i * 29) % 256])
        study = os.path.join(tmp, "s.likeness")
        check(cli, ["create", study, "--images", os.path.join(tmp, "imgs"), "--budget", "40",
                    "--phases", "2", "--nq", "4", "--seed", "3"], tmp + "/out")
        check(cli, ["answer", study, "--count", "10"], tmp + "/out")
        check(cli, ["export", study, "--answers", tmp + "/a.csv"], tmp + "/out")
        with open(tmp + "/a.csv", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            rows = list(reader)
        n_answers = len({r[0] for r in rows})
        if n_answers != 10 or len(rows) != 40:
            sys.exit("expected 10 answers of 4 rows in the export, got %d rows" % len(rows))
        repeat(rows, header, tmp + "/small.csv", SMALL_ANSWERS // n_answers)
        repeat(rows, header, tmp + "/big.csv", BIG_ANSWERS // n_answers)
        big_bytes = os.path.getsize(tmp + "/big.csv")

        peaks = {}
        for name, copies in (("small", SMALL_ANSWERS // n_answers),
                             ("big", BIG_ANSWERS // n_answers)):
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
        print("small CSV (%d answers): peak %d KB; big CSV (%.1f MB, %d answers): peak %d KB, "
              "%+d KB (allowed %d KB)" % (SMALL_ANSWERS, peaks["small"], big_bytes / 1e6,
                                          BIG_ANSWERS, peaks["big"], growth, ALLOWED_GROWTH_KB))
        if growth > ALLOWED_GROWTH_KB:
            sys.exit("import-answers of %d answers (%.1f MB) took %d KB more resident memory than "
                     "of %d (allowed %d KB): its memory grows with the answers"
                     % (BIG_ANSWERS, big_bytes / 1e6, growth, SMALL_ANSWERS, ALLOWED_GROWTH_KB))
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
