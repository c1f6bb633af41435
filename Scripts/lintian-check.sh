#!/usr/bin/env bash
# lintian on the .deb: an error fails the build, warnings and the rest are listed.
#   Scripts/lintian-check.sh ocrchat_VERSION_ARCH.deb
set -uo pipefail
deb=$1
report=$(lintian --allow-root --tag-display-limit 0 "$deb" 2>&1)
status=$?
echo "$report"
errors=$(grep -c '^E:' <<<"$report" || true)
warnings=$(grep -c '^W:' <<<"$report" || true)
echo "lintian: $errors errors, $warnings warnings"
if [ "$errors" -gt 0 ] || [ $status -ge 2 ]; then exit 1; fi
exit 0
