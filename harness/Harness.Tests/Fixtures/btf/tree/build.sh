#!/bin/sh
# Rebuilds the two objects compiled from the 6.12 tree's own selftests (sources not copied: they live in
# the tree at tools/testing/selftests/bpf/progs/). vmlinux.h was dumped from a host kernel's BTF; the
# verifier_* programs use only uapi types, so any recent vmlinux.h compiles them the same way.
set -eu
T=${TREE:-$HOME/.cache/harness/trees/linux-source-6.12}
S=$T/tools/testing/selftests/bpf
W=$(mktemp -d)
bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$W/vmlinux.h"
python3 "$T/scripts/bpf_doc.py" --header --file "$T/include/uapi/linux/bpf.h" > "$W/bpf_helper_defs.h"
for f in verifier_and verifier_helper_restricted; do
  clang-19 -target bpf -g -O2 -D__TARGET_ARCH_x86 -I"$W" -I"$S/progs" -I"$S" -I"$T/tools/lib" \
    -I"$T/tools/include/uapi" -c "$S/progs/$f.c" -o "$f.bpf.o"
done
rm -rf "$W"
