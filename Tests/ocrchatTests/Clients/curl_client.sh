#!/usr/bin/env bash
# The curl sequence from ocr.chat's documentation, with only the base URL changed:
#   curl_client.sh BASE_URL FILE
set -euo pipefail
BASE_URL=${1%/}
FILE=$2
job=$(curl -sf -F "file=@${FILE}" "${BASE_URL}/api/v1/ocr/")
uuid=$(printf '%s' "$job" | python3 -c 'import json,sys; print(json.load(sys.stdin)["uuid"])')
for _ in $(seq 1 600); do
  status=$(curl -sf "${BASE_URL}/api/v1/ocr/${uuid}/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
  case "$status" in
    done) break ;;
    failed) echo "job failed" >&2; exit 1 ;;
  esac
  sleep 0.5
done
curl -sf "${BASE_URL}/api/v1/ocr/${uuid}/download/?format=md"
