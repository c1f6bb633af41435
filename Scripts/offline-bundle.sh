#!/usr/bin/env bash
# One folder to carry to a workstation that never saw a network (a USB stick):
#
#   Scripts/offline-bundle.sh ocrchat_VERSION_ARCH.deb OUTPUT_FOLDER
#
# OUTPUT_FOLDER/ocrchat_VERSION_ARCH.deb, OUTPUT_FOLDER/debs/*.deb and OUTPUT_FOLDER/install.sh.
# debs/ is what apt would install for it on a fresh Debian bookworm: apt-get --simulate against a
# dpkg status holding only the base system, i.e. the packages of priority "required" or Essential
# and their dependencies (what debootstrap --variant=minbase, and so the debian:bookworm image, is
# made of), plus apt, as installed on this machine; packages there whose dependencies are not in the
# set (an alternative this machine happens to have) are dropped until the set is consistent. So the
# alternatives apt picks are the ones a fresh machine would get. install.sh skips whatever the
# workstation already has at the same or a newer version. The vlm tier's models and ONNX Runtime
# are inside the .deb.
set -euo pipefail

deb=$(realpath "$1")
out=$(realpath -m "$2")
here=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$out"
mkdir -p "$out/debs"
cp "$deb" "$out/"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
base_packages=$(dpkg-query -W -f='${Package} ${Priority} ${Essential} ${db:Status-Status}\n' \
	| awk '$4 == "installed" && ($2 == "required" || $3 == "yes") {print $1}'; echo apt)
apt-cache depends --recurse --installed --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
	--no-enhances $base_packages 2>/dev/null | grep -v '^ ' | grep -v '^<' | sort -u > "$work/closure"
dpkg-query -W -f='${Package} ${db:Status-Status}\n' | awk '$2 == "installed" {print $1}' | sort -u > "$work/installed"
comm -12 "$work/closure" "$work/installed" > "$work/base"
touch "$work/extended_states"
apt_fresh=(-o Dir::State::status="$work/status" -o Dir::State::extended_states="$work/extended_states")
for _ in 1 2 3 4 5 6; do
	# The stanzas of /var/lib/dpkg/status for the packages in base.
	awk 'NR == FNR {keep[$1] = 1; next} /^Package: / {p = $2} {block = block $0 "\n"}
		/^$/ {if (keep[p]) printf "%s", block; block = ""; p = ""} END {if (keep[p]) printf "%s", block}' \
		"$work/base" /var/lib/dpkg/status > "$work/status"
	broken=$( (apt-get -s "${apt_fresh[@]}" check 2>&1 || true) | sed -n 's/^ \([^ ]*\) : .*/\1/p' | sort -u)
	[ -z "$broken" ] && break
	grep -vxF "$broken" "$work/base" > "$work/base.next" && mv "$work/base.next" "$work/base"
done
plan=$(apt-get -s "${apt_fresh[@]}" --no-install-recommends install "$deb" 2>&1) \
	|| { echo "$plan" >&2; echo "offline-bundle: apt cannot install the package on a fresh base system" >&2; exit 1; }
wanted=$(sed -n 's/^Inst \([^ ]*\) .*/\1/p' <<<"$plan" | grep -vx ocrchat || true)

echo "offline-bundle: a fresh bookworm ($(wc -l < "$work/base") base packages) needs $(wc -w <<<"$wanted") packages besides ocrchat"
(cd "$out/debs" && apt-get download -o APT::Sandbox::User=root $wanted >/dev/null)
install -m 755 "$here/Packaging/install.sh" "$out/install.sh"
(cd "$out" && sha256sum ./*.deb debs/*.deb > SHA256SUMS)
{
	echo "ocrchat offline bundle: $(basename "$deb") and $(ls "$out/debs" | wc -l) Debian packages it needs."
	echo "On the workstation (Debian 12 bookworm, $(dpkg-deb --field "$deb" Architecture)): sudo ./install.sh"
	echo "Then: http://127.0.0.1:8080/ ; settings in /etc/ocrchat/ocrchat.json; 'sudo systemctl restart ocrchat' after a change."
} > "$out/README.txt"
du -sh "$out" | cut -f1 | sed "s|^|offline-bundle: $out: |"
