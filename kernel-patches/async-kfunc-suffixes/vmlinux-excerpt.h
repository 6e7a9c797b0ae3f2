/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmlinux-excerpt.h: the bpf_async_test_* declarations for BPF selftests,
 * from the x86_64 scratch kernel (Debian 6.12.117 + this series, base.config +
 * x86_64.config + async-kfunc-test.config, gcc 12.2, pahole 1.24).
 *
 * Part 1 is copied verbatim from
 *   bpftool btf dump file ~/.cache/harness/scratch-kbuild/x86_64/vmlinux format c
 * (bpftool v7.1.0 / libbpf v1.1). It is the ONLY bpf_async_test_* item that
 * vmlinux.h contains: this bpftool emits no kfunc prototypes, and pahole 1.24
 * writes no "bpf_kfunc" decl tags into the BTF (the BTF has 0 DECL_TAG types),
 * so `grep bpf_async_test vmlinux.h` finds only the struct. The arm64 vmlinux.h
 * has the identical struct.
 *
 * Part 2 is NOT in vmlinux.h: extern __ksym declarations generated from the
 * kernel BTF (bpftool btf dump file .../vmlinux, the FUNC / FUNC_PROTO entries),
 * one per kfunc, with the parameter names BTF keeps. Identical for the arm64
 * build. Notes:
 *  - The kfunc's own parameters keep their names (cb__async, cb__s_async,
 *    map__map, cb); the parameters of the callback prototypes have NO names
 *    in BTF (all '(anon)'), whatever the C source called them.
 *  - libbpf checks each extern against the kernel BTF by type, not by name,
 *    so the parameter names below are cosmetic on the BPF side; the types
 *    (and the number of callback parameters) must match.
 *  - Passing a callback with fewer parameters (e.g. a 5-parameter function for
 *    bpf_async_test_six, since BPF functions take at most 5) needs a cast.
 *  - u64 is the kernel typedef from vmlinux.h.
 *  - FUNC BTF ids differ between builds (e.g. bpf_async_test_mem was #35380 in
 *    the patched x86_64 build and #12553 in a baseline build): do not put them
 *    in expected messages ("kfunc bpf_async_test_ctx#35358 failed callback
 *    verification").
 */

/* ---- Part 1: verbatim from vmlinux.h ---- */
struct bpf_async_test_pair {
	u64 a;
	u64 b;
};

/* ---- Part 2: generated from BTF, not part of vmlinux.h ---- */
extern int bpf_async_test_callback(int (*cb__async)(int (*)(void))) __ksym;
extern int bpf_async_test_ctx(int (*cb__async)(struct __sk_buff *)) __ksym;
extern int bpf_async_test_dynptr(int (*cb__async)(struct bpf_dynptr *)) __ksym;
extern int bpf_async_test_list_head(int (*cb__async)(struct bpf_list_head *)) __ksym;
extern int bpf_async_test_list_node(int (*cb__async)(struct bpf_list_node *)) __ksym;
extern int bpf_async_test_map(void *map__map, int (*cb__async)(struct bpf_map *)) __ksym;
extern int bpf_async_test_mem(int (*cb__async)(int *)) __ksym;
extern int bpf_async_test_mem_s(int (*cb__s_async)(int *)) __ksym;
extern int bpf_async_test_mem_sz(int (*cb__async)(int *, int)) __ksym;
extern int bpf_async_test_pair(int (*cb__async)(struct bpf_async_test_pair *)) __ksym;
extern int bpf_async_test_plain(int (*cb)(int *)) __ksym;
extern int bpf_async_test_rb_node(int (*cb__async)(struct bpf_rb_node *)) __ksym;
extern int bpf_async_test_rb_root(int (*cb__async)(struct bpf_rb_root *)) __ksym;
extern int bpf_async_test_ret(void) __ksym;
extern int bpf_async_test_scalar(int (*cb__async)(int)) __ksym;
extern int bpf_async_test_scalar64(int (*cb__async)(u64)) __ksym;
extern int bpf_async_test_six(int (*cb__async)(int *, int *, int *, int *, int *, int *)) __ksym;
extern void bpf_async_test_sleepable(void) __ksym;
extern int bpf_async_test_str(int (*cb__async)(const char *)) __ksym;
extern int bpf_async_test_task(int (*cb__async)(struct task_struct *)) __ksym;
extern int bpf_async_test_two(int (*cb__async)(int *, struct task_struct *)) __ksym;
extern int bpf_async_test_void(int (*cb__async)(void)) __ksym;
extern int bpf_async_test_wq(void *map__map, int (*cb__s_async)(struct bpf_wq *)) __ksym;
extern int bpf_async_test_wq_nomap(int (*cb__s_async)(struct bpf_wq *)) __ksym;
