#!/bin/bash
# screenshots.sh — retake every screenshot of the README in docs/screenshots/, headlessly.
#
# The participant's pages and the experimenter's window come from the built-in demos
# (`likeness --page=PAGE --screenshot=FILE`). The browser, judging and the study overview come
# from a generated collection of 60 "beach" pictures (sky, ground, a ball; colours and sizes
# from a fixed seed),
# a study of it with some grids answered by the simulated participant, and a judging round
# drawn with `likeness-cli judge`. Each is saved right after a painted frame; a page that opens
# a dialog (`--page=lab-connect`, `--page=crowd-send:STUDY`) saves the dialog. The lab's
# Stations page runs against a throwaway PostgreSQL (tests/lab/pg-cluster.sh) and is skipped,
# saying so, where PostgreSQL's server is not installed.
#
# Usage: build-aux/screenshots.sh [BUILD_DIR] (default _build), from the source root.
# Needs: ImageMagick's convert, xvfb-run (apt-get install imagemagick xvfb xauth).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

build=${1:-_build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/beach"

# Colours are drawn here, in this shell: a subshell ($(...)) would draw from a new seed.
RANDOM=42
rgb () { printf -v "$1" '#%02x%02x%02x' $(($2 + RANDOM % $3)) $(($4 + RANDOM % $5)) $(($6 + RANDOM % $7)); }
for i in $(seq -w 0 59); do
  rgb sky_top 90 60 170 60 220 35
  rgb sky_low 120 60 200 40 230 25
  rgb ground 150 90 110 100 80 90
  rgb ball 30 1 70 60 170 60
  horizon=$((120 + RANDOM % 60))
  x=$((30 + RANDOM % 260)) y=$((20 + RANDOM % (horizon - 40))) r=$((4 + RANDOM % 16))
  convert -size 320x"$horizon" gradient:"$sky_top-$sky_low" \
          \( -size 320x$((240 - horizon)) xc:"$ground" \) -append \
          -fill "$ball" -draw "circle $x,$y $((x + r)),$y" "$work/beach/beach-$i.png"
done

"$build/src/cli/likeness-cli" create --images "$work" --budget 120 --phases 3 --seed 1 \
  "$work/demo.likeness" > /dev/null
"$build/src/cli/likeness-cli" answer --count 80 "$work/demo.likeness" > /dev/null
"$build/src/cli/likeness-cli" judge --judge J1 --seeds 5 "$work/demo.likeness" > /dev/null

# The experimenter's views on a study file: 90 fruit pictures in three folders (the folders are
# the collection's labels), answered by two simulated participants.
RANDOM=7
for folder in cherries:150:20:40 limes:90:170:40 plums:110:40:120; do
  IFS=: read -r name r g b <<<"$folder"
  mkdir -p "$work/fruit/$name"
  for i in $(seq -w 0 29); do
    rgb inner "$r" 70 "$g" 60 "$b" 60
    convert -size 96x96 xc:white -fill "$inner" -draw "circle 48,48 48,$((10 + RANDOM % 12))" \
            "$work/fruit/$name/$name-$i.png"
  done
done
"$build/src/cli/likeness-cli" create --images "$work/fruit" --budget 120 --phases 4 --nq 12 \
  --nc 3 --k 20 --seed 1 "$work/fruit.likeness" > /dev/null
"$build/src/cli/likeness-cli" answer --participant P-01 --count 50 "$work/fruit.likeness" > /dev/null
"$build/src/cli/likeness-cli" answer --participant P-02 --count 40 "$work/fruit.likeness" > /dev/null
# The Participants view: the fruit study with a third participant; P-02 left out by hand and
# P-03 marked as having failed the exam (no command does that yet: the study file's status
# column is set as lk_participants_set_qualified() would).
cli=$build/src/cli/likeness-cli
cp "$work/fruit.likeness" "$work/participants.likeness"
"$cli" answer --participant P-03 --count 12 "$work/participants.likeness" > /dev/null
"$cli" participants --exclude P-02 "$work/participants.likeness" > /dev/null
/usr/bin/python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE participant SET status = ? WHERE code = ?", ("not_qualified", "P-03"))
db.commit()' "$work/participants.likeness"
# Quality control: a copy of the fruit study with three known answers, one training page and two
# exam grids, each six fruits in their three groups, and the plan training:1,exam:2,sort:20.
# The made-up participant of --page=feedback sorts the training page with one plum among the
# limes; --page=not-qualified's puts every exam grid's fruits into one group.
cp "$work/fruit.likeness" "$work/gold.likeness"
{
  echo "gold,use,position,image,bin,instructions"
  pos=0
  for name in 'Fruit by kind:training:00 01:One group for each fruit: cherries; limes; plums.' \
              'Exam grid A:exam:02 03:' 'Exam grid B:exam:04 05:'; do
    IFS=: read -r gold use numbers instructions <<<"$name"
    pos=0
    for i in $numbers; do
      for fruit in limes plums cherries; do
        case $fruit in cherries) bin=0 ;; limes) bin=1 ;; plums) bin=2 ;; esac
        echo "$gold,$use,$pos,$fruit/$fruit-$i.png,$bin,$instructions"
        pos=$((pos + 1))
      done
    done
  done
} > "$work/fruit-known-answers.csv"
# Imported from the folder itself, so that the list names the file and not the temporary path.
(cd "$work" && "$OLDPWD/$cli" gold gold.likeness --import fruit-known-answers.csv > /dev/null)
"$cli" settings "$work/gold.likeness" --set plan=training:1,exam:2,sort:20 > /dev/null
cp "$work/gold.likeness" "$work/exam.likeness"
# The curator's Sort Grids window on the beach study: one grid sorted as "curator" (the code
# that window answers under), which Keep as Known Answer… then keeps.
cp "$work/demo.likeness" "$work/beach.likeness"
"$cli" answer --participant curator --count 1 "$work/beach.likeness" > /dev/null

# The scores: a copy of the fruit study sorted to its budget, then trials drawn from its
# embedding and answered by three simulated raters (their truth the colour descriptor).
cp "$work/fruit.likeness" "$work/scores.likeness"
"$build/src/cli/likeness-cli" answer --participant R-01 --noise-random-bin 0.1 \
  --trials triplet:40,choice5:20,match:20,intruder:20 "$work/scores.likeness" > /dev/null

# TMPDIR: --page=report imports its sample folder into a temporary study, which the trap then
# removes with the rest.
shot () {
  local name=$1
  shift
  xvfb-run -a -s "-screen 0 ${SCREEN:-1400x1000}x24 -nolisten tcp" \
    env GSK_RENDERER=cairo GSETTINGS_SCHEMA_DIR="$PWD/$build/data" GSETTINGS_BACKEND=memory \
    ADW_DEBUG_COLOR_SCHEME="${ADW_DEBUG_COLOR_SCHEME:-default}" TMPDIR="$work" \
    "$build/src/app/likeness" "$@" --screenshot="$PWD/docs/screenshots/$name.png"
  echo "saved docs/screenshots/$name.png"
}

shot start --page=start
shot create --page=create
shot import-report --page=report
shot instructions --page=instructions
shot sort --page=sort
# The same grid on a laptop's 1024x600 screen: the compact layout.
SCREEN=1024x600 shot sort-1024x600 --page=sort
# Paper 001's grid, 24 images and ten named bins at 1024x600, as tests/ui/test-ten-bins.c lays
# it out (a study file would need a session started by hand).
xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  env GSK_RENDERER=cairo GSETTINGS_SCHEMA_DIR="$PWD/$build/data" GSETTINGS_BACKEND=memory \
  GTK_A11Y=none GDK_BACKEND=x11 LK_TEST_SCREENSHOT="$PWD/docs/screenshots/sort-24-10.png" \
  "$build/tests/ui/test-ten-bins" -p /lk/ui/ten-bins/grid-24/1024x600 > /dev/null
echo "saved docs/screenshots/sort-24-10.png"
# The screens of the other tasks (each a colours demo's first trial) at 1024x600, and the
# instructions of one with its drawn example.
for task in triplet choice5 match intruder; do
  SCREEN=1024x600 shot "task-$task" --page="$task"
done
SCREEN=1024x600 shot task-instructions --page=triplet-instructions
shot experimenter --page=experimenter
shot heatmap --page=experimenter:blobs:600
# The same views in the dark style (libadwaita's debug switch stands in for the desktop's).
ADW_DEBUG_COLOR_SCHEME=prefer-dark shot heatmap-dark --page=experimenter:blobs:600
shot experimenter-study --experimenter="$work/fruit.likeness"
# Below the fold of the right-hand column, scrolled into sight and focused.
shot participants --experimenter="$work/participants.likeness" --view=participants
shot scores --page=overview:"$work/scores.likeness"
shot browser --browse="$work/demo.likeness"
shot judging --judge="$work/demo.likeness"
# The overview on a laptop's 1024x600 screen, after the judging round (its counts are read-only).
SCREEN=1024x600 shot overview --page=overview:"$work/demo.likeness"
# The dialogs: Connect to a Lab Study on the start page, Send Grids to a Crowd Platform on the
# overview.
SCREEN=1024x600 shot lab-connect --page=lab-connect
SCREEN=1024x600 shot crowd-send --page=crowd-send:"$work/demo.likeness"
# Quality control at 1024x600: a training page's feedback, the end of a session whose exam
# failed, the Known Answers window, and Keep as Known Answer… over the curator's Sort Grids.
SCREEN=1024x600 shot training-feedback --page=feedback:"$work/gold.likeness"
SCREEN=1024x600 shot not-qualified --page=not-qualified:"$work/exam.likeness"
SCREEN=1024x600 shot known-answers --page=known-answers:"$work/gold.likeness"
SCREEN=1024x600 shot keep-known-answer --page=keep-known-answer:"$work/beach.likeness"

# A lab study's Stations page: the fruit study pushed into a throwaway PostgreSQL cluster, two
# stations answering through it, then the experimenter's window following it.
if ! ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1 && ! command -v initdb > /dev/null; then
  echo "skipped docs/screenshots/stations.png: no PostgreSQL server (install 'postgresql')"
  exit 0
fi
cp "$work/fruit.likeness" "$work/lab.likeness"
export -f shot
export build work
tests/lab/pg-cluster.sh bash -c '
  set -euo pipefail
  "$build/src/cli/likeness-cli" pg-push "$work/lab.likeness" postgresql:///likeness > /dev/null
  cli=$build/src/cli/likeness-cli
  "$cli" answer postgresql:///likeness --station lab-pc-1 --participant P-05 --count 3 > /dev/null
  "$cli" answer postgresql:///likeness --station lab-pc-2 --participant P-06 --count 2 > /dev/null
  shot stations --experimenter=postgresql:///likeness --view=stations'
