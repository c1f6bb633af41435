#!/usr/bin/env bash
# Builds ocrchat_VERSION_amd64.deb from a release binary (made with --static-swift-stdlib, so the
# Swift runtime is inside it and only Debian's libraries are needed at run time):
#
#   Scripts/build-deb.sh BINARY OUTPUT_FOLDER
#
# Depends: is what dpkg-shlibdeps finds for the binary's own NEEDED libraries (Tesseract, Leptonica,
# Poppler, qpdf, CLD2, SQLite, …: each resolved with ldd and dpkg -S to its package, with the
# version its symbols need), plus what the binary runs or reads: the eng and osd models and qpdf.
# The vlm tier's PP-OCR models and ONNX Runtime go in too when this machine has them (the rapidocr and
# onnxruntime wheels that make setup installs), so that the premium tier works without pip.
set -euo pipefail

binary=$(realpath "$1")
out=$(realpath -m "$2")
here=$(cd "$(dirname "$0")/.." && pwd)
packaging="$here/Packaging"

export OMP_THREAD_LIMIT=1
version=$("$binary" version | sed -n 's/^ocrchat //p' | head -1)
[ -n "$version" ] || { echo "build-deb: cannot read the version from $binary" >&2; exit 1; }
arch=$(dpkg --print-architecture)
name="ocrchat_${version}_${arch}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/root"
mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/ocrchat" \
	"$root/usr/share/man/man1" "$root/usr/share/doc/ocrchat"

install -m 755 "$binary" "$root/usr/bin/ocrchat"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/ocrchat"
install -m 644 "$packaging/ocrchat.service" "$root/lib/systemd/system/ocrchat.service"
install -m 644 "$packaging/ocrchat.json" "$root/etc/ocrchat/ocrchat.json"
for script in postinst prerm postrm; do
	install -m 755 "$packaging/debian/$script" "$root/DEBIAN/$script"
done
install -m 644 "$packaging/debian/conffiles" "$root/DEBIAN/conffiles"

# The vlm tier's models and runtime, from the wheels make setup installs (checked by the engine's SHA-256 at load).
vlm_models=$(python3 -c "import rapidocr, os; print(os.path.join(os.path.dirname(rapidocr.__file__), 'models'))" 2>/dev/null || true)
onnx_library=$(python3 -c "import onnxruntime, glob, os; print(sorted(glob.glob(os.path.join(os.path.dirname(onnxruntime.__file__), 'capi', 'libonnxruntime.so.*')))[-1])" 2>/dev/null || true)
vlm_note="The vlm tier's models and ONNX Runtime are not in this package (rapidocr/onnxruntime were not installed where it was built)."
if [ -n "$vlm_models" ] && [ -f "$vlm_models/PP-OCRv6_rec_small.onnx" ] && [ -n "$onnx_library" ]; then
	mkdir -p "$root/usr/share/ocrchat/vlm" "$root/usr/lib/ocrchat"
	install -m 644 "$vlm_models"/PP-OCRv6_det_small.onnx "$vlm_models"/PP-OCRv6_rec_small.onnx \
		"$vlm_models"/ch_ppocr_mobile_v2.0_cls_mobile.onnx "$root/usr/share/ocrchat/vlm/"
	install -m 644 "$onnx_library" "$root/usr/lib/ocrchat/"
	strip --strip-unneeded "$root/usr/lib/ocrchat/$(basename "$onnx_library")"
	mkdir -p "$root/usr/share/lintian/overrides"
	install -m 644 "$packaging/debian/lintian-overrides" "$root/usr/share/lintian/overrides/ocrchat"
	vlm_note="The vlm tier's PP-OCR models (rapidocr 3.10.0, Apache-2.0) are in /usr/share/ocrchat/vlm and ONNX Runtime $(basename "$onnx_library" | sed 's/libonnxruntime.so.//') (MIT) in /usr/lib/ocrchat."
fi

# The man page, from the command's own help: help2man reads `ocrchat --help` and `--version`,
# and each subcommand's help is appended as its own section.
sections="$work/subcommands.h2m"
{
	echo "[COMMANDS]"
	for command in convert batch serve doctor token languages version; do
		echo ".SS \"ocrchat $command\""
		echo ".nf"
		"$binary" "$command" --help 2>&1 | sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/"
		echo ".fi"
	done
	echo "[FILES]"
	echo "/etc/ocrchat/ocrchat.json: the service's settings (JSON, the keys of serve's flags)."
	echo ".br"
	echo "/var/lib/ocrchat: the data folder (database, uploads in flight, results)."
	echo "[SEE ALSO]"
	echo "systemctl status ocrchat; journalctl -u ocrchat; ocrchat doctor --config /etc/ocrchat/ocrchat.json"
} > "$sections"
version_script="$work/ocrchat-version"
printf '#!/bin/sh\nif [ "$1" = --version ]; then echo "ocrchat %s"; else exec "%s" "$@"; fi\n' "$version" "$binary" > "$version_script"
chmod +x "$version_script"
help2man --no-info --no-discard-stderr --name "local, offline OCR engine and server" --section 1 \
	--include "$sections" --output "$work/ocrchat.1" "$version_script"
sed -i "s/ocrchat-version/ocrchat/g; s/OCRCHAT-VERSION/OCRCHAT/g" "$work/ocrchat.1"
gzip -9n < "$work/ocrchat.1" > "$root/usr/share/man/man1/ocrchat.1.gz"
chmod 644 "$root/usr/share/man/man1/ocrchat.1.gz"

# Debian's policy files: copyright, changelog.
sed "s|@VLM_NOTE@|$vlm_note|" "$packaging/debian/copyright" > "$root/usr/share/doc/ocrchat/copyright"
{
	echo "ocrchat ($version) bookworm; urgency=medium"
	echo
	echo "  * Built from the ocrchat repository (make deb)."
	echo
	echo " -- ocrchat maintainers <maintainers@ocrchat.invalid>  $(date -R -u -d "@${SOURCE_DATE_EPOCH:-$(git -C "$here" log -1 --format=%ct 2>/dev/null || date +%s)}")"
} | gzip -9n > "$root/usr/share/doc/ocrchat/changelog.gz"
chmod 644 "$root/usr/share/doc/ocrchat/copyright" "$root/usr/share/doc/ocrchat/changelog.gz"

# Depends: the packages of the libraries the binary links (with versions from their symbols files).
mkdir -p "$work/src/debian"
printf 'Source: ocrchat\n\nPackage: ocrchat\nArchitecture: any\n' > "$work/src/debian/control"
shlibs=$(cd "$work/src" && dpkg-shlibdeps -O -e"$root/usr/bin/ocrchat" 2>"$work/shlibdeps.log" | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { cat "$work/shlibdeps.log" >&2; echo "build-deb: dpkg-shlibdeps found nothing" >&2; exit 1; }
depends="$shlibs, tesseract-ocr-eng, tesseract-ocr-osd, qpdf, adduser"
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@DEPENDS@/$depends/" \
	-e "s/@INSTALLED_SIZE@/$installed_size/" "$packaging/debian/control" > "$root/DEBIAN/control"
(cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/md5sums" "$root/DEBIAN/control"

mkdir -p "$out"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out/$name.deb" >/dev/null
echo "$out/$name.deb"
