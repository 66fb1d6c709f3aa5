#!/usr/bin/env bash
# Puts planner in a Linux desktop's application menu, for one user: the menu entry, the
# AppStream metadata, the icons, and planner as the handler of .ics files when none is set.
# It installs no program: install the planner command first (pipx install . or
# uv tool install ., see packaging/README.md), or point --exec at a PyInstaller bundle.
#
# Usage: packaging/linux/install-desktop.sh [--prefix DIR] [--exec COMMAND] [--uninstall]
#   --prefix DIR    install into DIR/share (default: ${XDG_DATA_HOME:-~/.local/share});
#                   e.g. ~/.local, or a staging folder when building a package
#   --exec COMMAND  what the menu entry runs (default: planner, looked up on PATH);
#                   e.g. "$PWD/dist/planner/planner" for the bundle
#   --uninstall     remove what an install put there
set -euo pipefail

APP_ID=io.github.planner.Planner
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sizes=(16 32 48 64 128 256 512)

usage() { sed -n '7,13s/^# \{0,1\}//p' "$0"; }
die() { echo "install-desktop: $*" >&2; exit 2; }

datadir="${XDG_DATA_HOME:-$HOME/.local/share}"
own_datadir=1 # the user's own data folder: the one desktops read, where xdg-mime applies
exec_cmd=planner
uninstall=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a folder"
              datadir="${2%/}/share"; own_datadir=0; shift 2 ;;
    --prefix=*) datadir="${1#--prefix=}"; datadir="${datadir%/}/share"; own_datadir=0; shift ;;
    --exec) [ $# -ge 2 ] || die "--exec needs a command"; exec_cmd="$2"; shift 2 ;;
    --exec=*) exec_cmd="${1#--exec=}"; shift ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
datadir="${datadir/#\~/$HOME}" # --prefix=~/.local: the shell left the ~ alone
# Installing into ~/.local is the same as the default, so the association applies too.
[ "$datadir" = "${XDG_DATA_HOME:-$HOME/.local/share}" ] && own_datadir=1

desktop="$datadir/applications/$APP_ID.desktop"
metainfo="$datadir/metainfo/$APP_ID.metainfo.xml"
icons="$datadir/icons/hicolor"
installed=("$desktop" "$metainfo" "$icons/scalable/apps/$APP_ID.svg")
for size in "${sizes[@]}"; do installed+=("$icons/${size}x${size}/apps/$APP_ID.png"); done

# Menus, "Open with" lists and icon lookups read caches; refresh the ones a tool exists for.
refresh_caches() {
  if command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$datadir/applications" || true
  fi
  if command -v gtk-update-icon-cache >/dev/null && [ -d "$icons" ]; then
    # -t: a user's hicolor folder has no index.theme of its own.
    gtk-update-icon-cache -q -t -f "$icons" || true
  fi
}

if [ "$uninstall" -eq 1 ]; then
  was_default=""
  if [ "$own_datadir" -eq 1 ] && command -v xdg-mime >/dev/null; then
    was_default="$(xdg-mime query default text/calendar 2>/dev/null || true)"
  fi
  rm -f "${installed[@]}"
  refresh_caches
  echo "install-desktop: removed planner's menu entry, metadata and icons from $datadir"
  if [ "$was_default" = "$APP_ID.desktop" ]; then
    # xdg-mime cannot unset a default; desktops skip a default whose entry is gone.
    echo "install-desktop: .ics files were opened with planner; choose another app for them"
  fi
  exit 0
fi

# The desktop-entry spec makes spaces and shell characters in Exec need quoting rules that
# differ between Exec and TryExec; a plain path avoids getting either wrong.
case "$exec_cmd" in
  *[[:space:]\"\'\\\<\>~\|\&\;\$\*\?\#\(\)\`%]*)
    die "--exec: use a path without spaces or shell characters: $exec_cmd" ;;
esac
case "$exec_cmd" in
  */*) [ -x "$exec_cmd" ] || die "--exec: $exec_cmd is not an executable file"
       exec_cmd="$(cd "$(dirname "$exec_cmd")" && pwd)/$(basename "$exec_cmd")" ;;
  *) command -v "$exec_cmd" >/dev/null || echo "install-desktop: warning: $exec_cmd is not" \
       "on PATH, so the menu hides planner until it is (install it with pipx or uv)" >&2 ;;
esac

install -d "$datadir/applications" "$datadir/metainfo" "$icons/scalable/apps"
sed -e "s|^Exec=planner|Exec=$exec_cmd|" -e "s|^TryExec=planner\$|TryExec=$exec_cmd|" \
  "$here/$APP_ID.desktop" > "$desktop.tmp"
chmod 644 "$desktop.tmp"
mv "$desktop.tmp" "$desktop"
install -m 644 "$here/$APP_ID.metainfo.xml" "$metainfo"
install -m 644 "$root/resources/icons/planner.svg" "$icons/scalable/apps/$APP_ID.svg"
for size in "${sizes[@]}"; do
  install -D -m 644 "$here/icons/hicolor/${size}x${size}/apps/$APP_ID.png" \
    "$icons/${size}x${size}/apps/$APP_ID.png"
done
refresh_caches
echo "install-desktop: installed planner's menu entry, metadata and icons into $datadir"

# Make planner the handler of .ics files, unless the user's desktop already opens them with
# another app (planner is then listed under Open With). Asked after the install, so that
# xdg-mime sees planner's entry: it answers planner when it is the only handler.
if [ "$own_datadir" -eq 1 ] && command -v xdg-mime >/dev/null; then
  current="$(xdg-mime query default text/calendar 2>/dev/null || true)"
  if [ -z "$current" ] || [ "$current" = "$APP_ID.desktop" ]; then
    xdg-mime default "$APP_ID.desktop" text/calendar
    echo "install-desktop: .ics files open with planner"
  else
    echo "install-desktop: .ics files still open with $current (planner is under Open With)"
  fi
elif [ "$own_datadir" -eq 1 ]; then
  echo "install-desktop: skipped the .ics association: xdg-mime was not found (Debian and" \
    "Ubuntu package xdg-utils); install it and run this again to open .ics files with planner"
else
  echo "install-desktop: skipped the .ics association: it applies to your own data folder" \
    "only, not to --prefix $datadir"
fi
