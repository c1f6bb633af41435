#!/usr/bin/env bash
# The offline bundle on a workstation that never saw a network: a minimal Debian bookworm made with
# debootstrap (--variant=minbase, as the debian:bookworm image is), the bundle copied in, and
# install.sh run in a network namespace of its own with only a loopback; then, still offline, the
# installed binary reads a page (convert), and the installed server, started as its unit would start
# it, reads one uploaded over loopback (bash's /dev/tcp: minbase has no curl).
#
#   Scripts/offline-bundle-test.sh BUNDLE_FOLDER WORK_FOLDER
#
# Root only (debootstrap, chroot, unshare). The minimal system is made once in
# WORK_FOLDER/minbase (the one step that uses the network, to Debian's mirror) and copied afresh
# for each run.
set -euo pipefail

bundle=$(realpath "$1")
work=$(realpath -m "$2")
here=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "offline-bundle-test: run it as root" >&2; exit 1; }

if [ ! -f "$work/minbase/etc/debian_version" ]; then
	rm -rf "$work/minbase"
	mkdir -p "$work"
	mirror=$(sed -n 's/^URIs: //p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
	debootstrap --variant=minbase bookworm "$work/minbase" "${mirror:-http://deb.debian.org/debian}" >"$work/debootstrap.log"
fi
root="$work/workstation"
rm -rf "$root"
cp -a "$work/minbase" "$root"
cp -a "$bundle" "$root/bundle"
cp "$here/Samples/phototest.png" "$root/phototest.png"

cat > "$root/check.sh" <<'EOF'
#!/bin/bash
# Inside the workstation, offline.
set -u
fail=0
check() { if [ "$1" = 0 ]; then echo "ok    $2"; else echo "FAIL  $2"; fail=1; fi; }
/bundle/install.sh > /install.log 2>&1; check $? "install.sh installs it without a network"
tail -14 /install.log
dpkg-query -W -f='${Status}\n' ocrchat | grep -q "install ok installed"; check $? "dpkg has ocrchat installed"
getent passwd ocrchat >/dev/null; check $? "the ocrchat user exists"
OMP_THREAD_LIMIT=1 ocrchat convert /phototest.png > /convert.txt 2>&1
grep -q "quick brown dog" /convert.txt; check $? "ocrchat convert reads the page: $(head -1 /convert.txt)"
cp /phototest.png /tmp/phototest.png && chmod 644 /tmp/phototest.png
cd /var/lib/ocrchat
# setpriv execs the server itself (runuser would stay its parent and take the SIGTERM).
setpriv --reuid=ocrchat --regid=ocrchat --init-groups env OMP_THREAD_LIMIT=1 /usr/bin/ocrchat serve --config /etc/ocrchat/ocrchat.json > /serve.log 2>&1 &
server=$!
for _ in $(seq 1 100); do
	(exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null && break
	sleep 0.2
done
boundary=ocrchatbundletest
head=$'--'$boundary$'\r\nContent-Disposition: form-data; name="file"; filename="phototest.png"\r\nContent-Type: image/png\r\n\r\n'
tail=$'\r\n--'$boundary$'--\r\n'
length=$(( ${#head} + $(stat -c %s /tmp/phototest.png) + ${#tail} ))
exec 3<>/dev/tcp/127.0.0.1/8080
printf 'POST /api/v1/ocr/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' "$boundary" "$length" >&3
printf '%s' "$head" >&3
cat /tmp/phototest.png >&3
printf '%s' "$tail" >&3
answer=$(cat <&3)
exec 3<&-
echo "$answer" | head -1
echo "$answer" | grep -q "quick brown dog"; check $? "the installed service reads an uploaded page over loopback"
runuser -u ocrchat -- env OMP_THREAD_LIMIT=1 /usr/bin/ocrchat doctor --config /etc/ocrchat/ocrchat.json > /doctor.log 2>&1; check $? "doctor finds no error"
cat /doctor.log
kill -TERM $server; wait $server; check $? "SIGTERM stops the server with exit 0"
exit $fail
EOF
chmod +x "$root/check.sh"

# A mount and network namespace of its own: /proc and /dev for the chroot, and no network but a
# loopback that is brought up here.
set +e
unshare --net --mount --fork bash -c "
	set -e
	ip link set lo up
	mount --make-rprivate /
	mount -t proc proc '$root/proc'
	mount --rbind /dev '$root/dev'
	ip -o link | grep -v ': lo:' && { echo 'offline-bundle-test: a network device besides lo' >&2; exit 1; } || true
	chroot '$root' /check.sh
"
status=$?
echo "offline-bundle-test: $([ $status = 0 ] && echo 'all checks passed' || echo 'failed')"
exit $status
