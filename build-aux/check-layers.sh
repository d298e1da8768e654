#!/bin/bash
# Fails if the GTK-free core reaches beyond GLib, GSL and libm (so that the CLI, the tests and any
# worker thread can use it without a display or a database), or if a
# core library exports a symbol without the lk_ (or internal _lk_) prefix.
# Usage: check-layers.sh SOURCE_ROOT CORE_LIBRARY...
set -euo pipefail
root=$1; shift
status=0
if grep -nE '#include[[:space:]]*[<"](gtk/|gdk/|gio/|adwaita|sqlite3|gdk-pixbuf/|json-glib/)' \
     "$root"/src/core/*.c "$root"/src/core/*.h; then
  echo "src/core must use only GLib, GSL and libm (the includes above break the layer rule)"
  status=1
fi
for lib in "$@"; do
  # Defined, global symbols; target_clones adds a resolver and .default/.arch_ clones of
  # static functions, which are local and do not show here.
  bad=$(nm -g --defined-only "$lib" | awk 'NF == 3 { print $3 }' | grep -vE '^_?lk_' || true)
  if [ -n "$bad" ]; then
    echo "$lib exports symbols without the lk_ prefix:"
    echo "$bad"
    status=1
  fi
done
[ $status -eq 0 ] && echo "layers OK"
exit $status
