#!/usr/bin/env bash
# Replaces the embedded Swagger UI with another release of swagger-ui-dist
# from npm: ./update.sh 5.35.0, then update swaggerUIVersion in ../docs.go.
# The bundle is stored gzipped; docs.go serves it as is or inflated.
set -euo pipefail
cd "$(dirname "$0")"
version=${1:?usage: update.sh VERSION}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "swagger-ui-dist@$version" >/dev/null && tar xzf "swagger-ui-dist-$version.tgz")
gzip -9 -n -c "$tmp/package/swagger-ui-bundle.js" > swagger-ui-bundle.js.gz
gzip -9 -n -c "$tmp/package/swagger-ui.css" > swagger-ui.css.gz
cp "$tmp/package/LICENSE" LICENSE.swagger-ui
cp "$tmp/package/swagger-ui-bundle.js.LICENSE.txt" swagger-ui-bundle.js.LICENSE.txt
echo "swagger-ui-dist $version embedded; npm's integrity: $(npm view "swagger-ui-dist@$version" dist.integrity)"
