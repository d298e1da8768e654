#!/bin/bash
# Installs the Debian 12 packages Likeness needs to build, test and run (as root, with apt-get),
# skipping those already installed. postgresql is only for the lab tests, which start their own
# throwaway server (tests/lab/pg-cluster.sh); the package's own cluster is not used. The list was proven in a minimal Debian 12 chroot
# (debootstrap --variant=minbase): the build and every test pass with exactly these packages.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
PKGS=(build-essential pkg-config meson ninja-build gettext
      libglib2.0-dev libgsl-dev libjson-glib-dev libsqlite3-dev libgdk-pixbuf-2.0-dev libjpeg-dev
      libgtk-4-dev libadwaita-1-dev
      appstream desktop-file-utils yelp-tools itstool locales
      xvfb xauth x11-utils xdotool imagemagick
      adwaita-icon-theme librsvg2-common libgl1-mesa-dri dbus
      shared-mime-info fonts-dejavu-core fonts-liberation2 fonts-cantarell python3
      chromium libpq-dev postgresql)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "Installing: ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The German translation's test runs the app in de_DE.UTF-8, which a fresh system lacks.
if ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO sed -i 's/^# *\(de_DE\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  grep -q '^de_DE\.UTF-8 UTF-8' /etc/locale.gen || echo 'de_DE.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
  $SUDO locale-gen >/dev/null
fi
