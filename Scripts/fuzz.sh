#!/usr/bin/env bash
# Runs `ocrchat fuzz` for FUZZ_SECONDS in all, restarting it whenever an input kills it, and files
# that input under $FINDINGS as crash-<hash> (or slow-<hash> for one that hung).
# Usage: Scripts/fuzz.sh OCRCHAT_BINARY FINDINGS SECONDS SEED_DIR...
set -u
binary=$1; findings=$2; seconds=$3; shift 3
mkdir -p "$findings"
end=$(( $(date +%s) + seconds ))
seed_args=()
for seed in "$@"; do seed_args+=(--seeds "$seed"); done
runs=0; crashes=0
while [ "$(date +%s)" -lt "$end" ]; do
	left=$(( end - $(date +%s) ))
	runs=$((runs + 1))
	"$binary" fuzz --findings "$findings" --seconds "$left" --random-seed "$(( $(date +%s%N) % 1000000007 + runs ))" "${seed_args[@]}"
	status=$?
	if [ $status -ne 0 ] && [ -f "$findings/.current" ]; then
		hash=$(sha1sum "$findings/.current" | cut -c1-16)
		if [ $status -eq 3 ]; then
			echo "fuzz: a slow input (filed by the fuzzer)"
		else
			crashes=$((crashes + 1))
			mv "$findings/.current" "$findings/crash-$hash"
			echo "fuzz: exit status $status: the input is $findings/crash-$hash"
		fi
	fi
	rm -f "$findings/.current"
done
echo "fuzz: done after $seconds s, $runs run(s), $crashes crash(es); findings in $findings:"
ls -1 "$findings"
