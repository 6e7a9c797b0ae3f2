#!/usr/bin/env bash
# Installs the Debian packages Harness needs on the host (build, image, boot, BPF toolchains; chromium renders
# report.html headless in the tests).
# Idempotent: does nothing when every package is already installed. Needs root (or sudo).
set -euo pipefail

amd64_packages=(
  build-essential bc bison flex libelf-dev libssl-dev dwarves ccache cpio xz-utils zstd git rsync
  gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
  clang-19 llvm-19 lld-19 bpftool libbpf-dev
  qemu-system-x86 qemu-system-arm qemu-utils
  busybox-static dropbear-bin openssh-sftp-server openssh-client
  chromium
  zlib1g-dev libzstd-dev python3
  linux-source-6.12
)
arm64_packages=(libelf-dev:arm64 zlib1g-dev:arm64 libzstd-dev:arm64 linux-libc-dev:arm64)

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${amd64_packages[@]}" "${arm64_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "harness setup: installing ${missing[*]}" >&2
dpkg --print-foreign-architectures | grep -qx arm64 || sudo_if_needed dpkg --add-architecture arm64
export DEBIAN_FRONTEND=noninteractive
sudo_if_needed apt-get update -q
sudo_if_needed apt-get install -y -q --no-install-recommends "${missing[@]}"
