#!/bin/sh
# Rebuilds the committed BTF fixtures. clang-19 from Debian; run from this directory.
set -eu
clang-19 -target bpf -I/usr/include/$(gcc -print-multiarch) -g -O2 -c expectations.bpf.c -o expectations.bpf.o
clang-19 -target bpfeb -I/usr/include/$(gcc -print-multiarch) -g -O2 -c expectations.bpf.c -o expectations.bpfeb.o
