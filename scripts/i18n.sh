#!/usr/bin/env bash
# The interface catalogues, with Babel's own tools (see crosspilot/i18n.py).
#   scripts/i18n.sh extract   write crosspilot/locale/messages.pot from the code
#   scripts/i18n.sh update    extract, then merge the template into every language's messages.po
#   scripts/i18n.sh init LANG start a new language's catalogue (add it to languages.json too)
#   scripts/i18n.sh check     compile every catalogue (Babel's checks; nothing is written)
# Catalogues are compiled in memory when the app first uses them: no .mo file is kept in git.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-$( [ -x .venv/bin/pybabel ] && echo .venv/bin/pybabel || echo pybabel )}"
LOCALE=crosspilot/locale
POT=$LOCALE/messages.pot
extract() {
  "$PYBABEL" extract -F babel.cfg -k t -k tn:1,2 -k N_ --no-wrap --sort-by-file \
    --project=Crosspilot --copyright-holder="Crosspilot contributors" -o "$POT" .
  # Our messages fill {brace} fields; Babel flags "70 % of" as %-formatting and then refuses
  # translations where the letter after % differs: drop that flag.
  noflag "$POT"
}
noflag() {
  sed -i '/^#, python-format$/d; s/^#, python-format, /#, /; s/^\(#,.*\), python-format/\1/' "$@"
}
case "${1:-}" in
  extract) extract ;;
  update)
    extract
    "$PYBABEL" update -i "$POT" -d "$LOCALE" --no-wrap --ignore-obsolete --no-fuzzy-matching
    noflag "$LOCALE"/*/LC_MESSAGES/messages.po ;;
  init) "$PYBABEL" init -i "$POT" -d "$LOCALE" -l "${2:?language code}" --no-wrap ;;
  check)
    for po in "$LOCALE"/*/LC_MESSAGES/messages.po; do
      "$PYBABEL" compile --statistics -i "$po" -o /dev/null -l "$(basename "$(dirname "$(dirname "$po")")")"
    done ;;
  *) sed -n 2,8p "$0"; exit 2 ;;
esac
