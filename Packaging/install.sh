#!/bin/sh
# Installs ocrchat from this folder, without a network: the Debian packages it needs (those the
# workstation lacks, or has older), then ocrchat itself; the service is enabled and started.
#   sudo ./install.sh
set -eu

if [ "$(id -u)" != 0 ]; then
	echo "install.sh: run it as root: sudo ./install.sh" >&2
	exit 1
fi
cd "$(dirname "$0")"
if command -v sha256sum >/dev/null && [ -f SHA256SUMS ]; then
	sha256sum --quiet -c SHA256SUMS || { echo "install.sh: a file of the bundle is damaged (SHA256SUMS)" >&2; exit 1; }
fi

# A package already installed at the same or a newer version is left as it is.
list=""
for deb in debs/*.deb ocrchat_*.deb; do
	[ -f "$deb" ] || continue
	package=$(dpkg-deb --field "$deb" Package)
	version=$(dpkg-deb --field "$deb" Version)
	have=$(dpkg-query -W -f='${Status} ${Version}' "$package" 2>/dev/null || true)
	case "$have" in
	"install ok installed "*)
		if dpkg --compare-versions "${have##* }" ge "$version"; then continue; fi ;;
	esac
	list="$list $deb"
done

if [ -n "$list" ]; then
	echo "install.sh: installing $(echo $list | wc -w) packages"
	# One dpkg run: it unpacks them all, then configures them in dependency order.
	# shellcheck disable=SC2086
	if ! dpkg -i $list; then
		echo "install.sh: dpkg failed; 'dpkg --audit' and the lines above say which package is missing" >&2
		exit 1
	fi
fi

if [ -d /run/systemd/system ]; then
	systemctl daemon-reload
	systemctl enable --now ocrchat.service
	sleep 2
	systemctl --no-pager --lines=5 status ocrchat.service || true
else
	echo "install.sh: systemd is not running here; start the server with: runuser -u ocrchat -- env OMP_THREAD_LIMIT=1 ocrchat serve --config /etc/ocrchat/ocrchat.json"
fi
echo "install.sh: checking the installation:"
runuser -u ocrchat -- env OMP_THREAD_LIMIT=1 /usr/bin/ocrchat doctor --config /etc/ocrchat/ocrchat.json || true
