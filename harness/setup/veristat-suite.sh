#!/bin/bash
# Measures how much of the tree's own verifier suite (tools/testing/selftests/bpf/progs/verifier_*.c) a harness
# kernel can load at all, with the tree's own veristat in a guest. See docs/verifier-suite.md.
#
#   harness/setup/veristat-suite.sh build ARCH KERNEL_DIR [OUT]
#       ARCH: x86_64 | arm64; KERNEL_DIR: a harness kernel (~/.cache/harness/kernels/ARCH/KEY, holds vmlinux).
#       Builds into OUT (default /tmp/veristat-ARCH): a static libbpf.a of the tree and its headers, a static
#       veristat, vmlinux.h from the kernel's BTF, and objs/verifier_*.bpf.o compiled as the selftests Makefile does.
#   harness/setup/veristat-suite.sh run ARCH "SSH COMMAND" [OUT]
#       SSH COMMAND: the line `bin/harness boot --arch ARCH` prints (ssh -i KEY -p PORT -o ... root@127.0.0.1).
#       Uploads veristat and the objects, runs `veristat -v` per object, then each failed program alone to get
#       libbpf's reason. Writes OUT/veristat.out, OUT/unsupported.tsv (object, program, reason) and prints counts.
#
# A program is "unsupported" (refused before the verifier ran) when its load fails and the verifier log is
# empty: the kernel refused the program type / attach target with EINVAL, EOPNOTSUPP or ENOTSUPP (524), or libbpf
# refused the object first (missing kfunc or ksym, map type, attach target in BTF). A verifier reject always
# leaves a log at veristat -v's log level.
set -euo pipefail

TREE=${TREE:-$HOME/.cache/harness/trees/linux-source-6.12}
SELFTESTS=$TREE/tools/testing/selftests/bpf

mode=${1:?usage: $0 build|run ARCH ...}
arch=${2:?ARCH: x86_64 or arm64}
case $arch in
  x86_64) cross=""; triplet=x86_64-linux-gnu; target_arch=x86 ;;
  arm64) cross=aarch64-linux-gnu-; triplet=aarch64-linux-gnu; target_arch=arm64 ;;
  *) echo "Unknown arch '$arch'. Available: arm64, x86_64" >&2; exit 3 ;;
esac

build() {
  local kernel=${1:?KERNEL_DIR} out=${2:-/tmp/veristat-$arch}
  mkdir -p "$out/libbpf" "$out/include" "$out/objs"
  # The tree's libbpf, static, for the guest's arch (the recipe of harness/Harness/Selftests/LoaderBuildStage.cs).
  make -s -C "$TREE/tools/lib/bpf" BUILD_STATIC_ONLY=1 OUTPUT="$out/libbpf/" \
    CROSS_COMPILE="$cross" CC="${cross}gcc" AR="${cross}ar" LD="${cross}ld" HOSTCC=gcc -j2 "$out/libbpf/libbpf.a"
  make -s -C "$TREE/tools/lib/bpf" OUTPUT="$out/libbpf/" DESTDIR="$out" prefix=/ install_headers
  # veristat, static: glibc's argp, Debian's static libelf, zlib and zstd of that arch.
  "${cross}gcc" -static -O2 -I "$out/include" -I "$TREE/tools/include/uapi" -I "$TREE/tools/include" \
    "$SELFTESTS/veristat.c" "$out/libbpf/libbpf.a" -L "/usr/lib/$triplet" -lelf -lz -lzstd -lm -o "$out/veristat"
  bpftool btf dump file "$kernel/vmlinux" format c > "$out/include/vmlinux.h"
  # As the selftests Makefile's CLANG_BPF_BUILD_RULE with BPF_CFLAGS (test_progs flavour: atomics tests on).
  local sys_includes failed=0
  sys_includes=$(clang-19 -v -E - </dev/null 2>&1 | sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')
  for src in "$SELFTESTS"/progs/verifier_*.c; do
    local obj="$out/objs/$(basename "${src%.c}").bpf.o"
    # shellcheck disable=SC2086
    clang-19 -g -Wall -Werror -D__TARGET_ARCH_$target_arch -DENABLE_ATOMICS_TESTS \
      -I "$out/include" -I "$SELFTESTS" -I "$SELFTESTS/progs" -I "$TREE/tools/include/uapi" -I "$TREE/tools/lib" \
      -Wno-compare-distinct-pointer-types $sys_includes -O2 --target=bpf -mcpu=v3 -c "$src" -o "$obj" \
      || { echo "compile failed: $src" >&2; failed=$((failed + 1)); }
  done
  echo "$arch: $(ls "$out"/objs/*.bpf.o | wc -l) objects in $out/objs ($failed failed to compile); veristat: $out/veristat"
}

run() {
  local ssh_line=${1:?SSH COMMAND} out=${2:-/tmp/veristat-$arch}
  read -r -a ssh <<<"$ssh_line"
  local -a scp=(scp)
  local i
  for ((i = 1; i < ${#ssh[@]} - 1; i++)); do scp+=("${ssh[i]/#-p/-P}"); done
  local remote=${ssh[-1]}
  # REUSE=1: the guest already has /tmp/vs and OUT/veristat.out is from it; only classify the failures again.
  if [ -z "${REUSE:-}" ]; then
    "${ssh[@]}" 'rm -rf /tmp/vs && mkdir -p /tmp/vs/objs'
    "${scp[@]}" -q "$out/veristat" "$remote:/tmp/vs/"
    "${scp[@]}" -q "$out"/objs/*.bpf.o "$remote:/tmp/vs/objs/"
    # One veristat per object: a crash or hang costs one object, and -v gives the verifier log of every program.
    "${ssh[@]}" 'cd /tmp/vs && for o in objs/*.bpf.o; do ./veristat -v "$o" 2>/dev/null; done' > "$out/veristat.out"
  fi
  # Failed programs whose log is empty never reached the verifier.
  awk '
    /^PROCESSING / { if (name != "") report(); split($2, p, "/"); obj = p[2]; prog = substr(p[3], 1, length(p[3]) - 1);
                     name = obj "\t" prog; failed = ($0 ~ /VERDICT: failure/); lines = 0; next }
    /^(Processing|Done\.|File  )/ { if (name != "") report(); name = ""; next }
    name != "" && NF > 0 { lines++ }
    function report() { if (failed && lines == 0) print name; name = "" }
    END { if (name != "") report() }' "$out/veristat.out" > "$out/empty-log.tsv"
  : > "$out/unsupported.tsv"
  local obj prog reason
  while IFS=$'\t' read -r obj prog; do
    reason=$("${ssh[@]}" "cd /tmp/vs && ./veristat -v -f '$prog' objs/$obj 2>&1 >/dev/null" </dev/null \
      | grep -v '^libbpf: prog .*: -- \(BEGIN\|END\) PROG LOAD LOG --' | grep -m1 -i 'libbpf:' || true)
    printf '%s\t%s\t%s\n' "$obj" "$prog" "${reason:-no libbpf message}" >> "$out/unsupported.tsv"
  done < "$out/empty-log.tsv"
  local total success failure unsupported
  total=$(grep -c '^PROCESSING ' "$out/veristat.out")
  success=$(grep -c '^PROCESSING .*VERDICT: success' "$out/veristat.out" || true)
  failure=$((total - success))
  unsupported=$(wc -l < "$out/unsupported.tsv")
  echo "$arch: $total programs, $success accepted, $failure rejected or refused, of which $unsupported refused before the verifier ran ($(awk "BEGIN { printf \"%.1f\", 100 * $unsupported / $total }")%)"
  echo "by reason (details: $out/unsupported.tsv):"
  cut -f3 "$out/unsupported.tsv" | sed -E "s/prog '[^']*'/prog 'P'/; s/'[^']*'/'X'/g" | sort | uniq -c | sort -rn
}

case $mode in
  build) shift 2; build "$@" ;;
  run) shift 2; run "$@" ;;
  *) echo "Unknown mode '$mode'. Available: build, run" >&2; exit 3 ;;
esac
