#!/bin/sh
# validate-dcc.sh VERSION FILE: validates the DCC XML FILE against the schema VERSION kept beside
# this script, offline. The schemas import D-SI and XML Signature by their https URLs: copies with
# those imports pointed at the local files are made in a temporary directory.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
version=$1
file=$2
if [ ! -f "$dir/v$version/dcc.xsd" ]; then
  echo "validate-dcc.sh: no schema for DCC version $version" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$dir/dsi-v2.1.0/SI_Format.xsd" "$dir/xmldsig/xmldsig-core-schema.xsd" "$work/"
sed -e 's#https://ptb.de/si/v2.1.0/SI_Format.xsd#SI_Format.xsd#' \
  -e 's#https://www.w3.org/TR/xmldsig-core/xmldsig-core-schema.xsd#xmldsig-core-schema.xsd#' \
  "$dir/v$version/dcc.xsd" >"$work/dcc.xsd"
xmllint --noout --nonet --schema "$work/dcc.xsd" "$file"
