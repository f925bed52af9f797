#!/bin/sh
# check-po.sh SRCROOT: po/de.po is complete (msgfmt --check, no fuzzy or untranslated message)
# and current (every msgid xgettext finds in the files of po/POTFILES.in has a translation), and
# POTFILES.in lists every source file with a translatable string.
set -eu
src=$1
po=$src/po/de.po
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

stats=$(LC_ALL=C msgfmt --check --statistics -o "$tmp/de.mo" "$po" 2>&1)
echo "de.po: $stats"
case $stats in
*fuzzy* | *untranslated*)
	echo "FAIL: de.po has fuzzy or untranslated messages" >&2
	exit 1
	;;
esac

# The files with strings marked for translation, against the list xgettext reads.
(cd "$src" && grep -lE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|g_dngettext|ngettext) \(' \
	app/*/*.c app/*/*.h 2>/dev/null; cd "$src" && grep -l 'translatable="yes"' app/*/*.ui app/gui/gtk/*.ui 2>/dev/null) |
	sort -u >"$tmp/marked"
grep -v '^#' "$src/po/POTFILES.in" | sed '/^$/d' | sort -u >"$tmp/listed"
missing=$(comm -23 "$tmp/marked" "$tmp/listed")
if [ -n "$missing" ]; then
	echo "FAIL: files with translatable strings missing from po/POTFILES.in:" >&2
	echo "$missing" >&2
	exit 1
fi

# The same extraction as i18n.gettext (preset: 'glib') runs for needlebench-pot.
grep -v '^#' "$src/po/POTFILES.in" | sed '/^$/d' >"$tmp/files"
(cd "$src" && xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ \
	--keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 \
	--keyword=g_dpgettext2:2c,3 --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format \
	--flag=NC_:2:pass-c-format --flag=g_dngettext:2:pass-c-format \
	--flag=g_strdup_printf:1:c-format --flag=g_string_printf:2:c-format \
	--flag=g_string_append_printf:2:c-format --flag=g_error_new:3:c-format \
	--flag=g_set_error:4:c-format --flag=g_markup_printf_escaped:1:c-format \
	--flag=g_log:3:c-format --flag=g_print:1:c-format --flag=g_printerr:1:c-format \
	--flag=g_printf:1:c-format --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format \
	--flag=g_snprintf:3:c-format \
	--files-from="$tmp/files" -o "$tmp/fresh.pot" 2>"$tmp/xgettext.log") || {
	cat "$tmp/xgettext.log" >&2
	exit 1
}
if ! msgcmp "$po" "$tmp/fresh.pot" 2>"$tmp/msgcmp.log"; then
	echo "FAIL: msgids of the sources without a German translation in po/de.po" \
		"(run ninja -C build needlebench-pot needlebench-update-po, then translate):" >&2
	cat "$tmp/msgcmp.log" >&2
	exit 1
fi
n=$(grep -c '^msgid ' "$tmp/fresh.pot")
echo "de.po translates all $((n - 1)) msgids of the sources"
