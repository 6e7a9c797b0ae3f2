/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test kfuncs built into the patched kernel (CONFIG_BPF_ASYNC_KFUNC_TEST,
 * kernel-patches/async-kfunc-suffixes/0003). The verifier reads the kernel's
 * BTF prototypes, not these: the parameter names here (cb__async, cb__s_async,
 * map__map) only document which suffix the kernel's declaration carries.
 *
 * Include after vmlinux.h and bpf_helpers.h.
 */
#ifndef HARNESS_ASYNC_KFUNCS_H
#define HARNESS_ASYNC_KFUNCS_H

/*
 * The kernel's struct bpf_async_test_pair (16 bytes: two u64) under a local
 * name, so the selftests also compile against a vmlinux.h without the test
 * kfuncs (an unpatched kernel, the host's BTF). libbpf checks a kfunc's
 * prototype by kinds and sizes, not by struct names.
 */
struct harness_async_pair {
	__u64 a;
	__u64 b;
};

/* Supported callback argument kinds */
extern int bpf_async_test_mem(int (*cb__async)(int *v)) __ksym;
extern int bpf_async_test_mem_s(int (*cb__s_async)(int *v)) __ksym;
extern int bpf_async_test_pair(int (*cb__async)(struct harness_async_pair *p)) __ksym;
extern int bpf_async_test_wq(void *map__map, int (*cb__s_async)(struct bpf_wq *wq)) __ksym;
extern int bpf_async_test_wq_nomap(int (*cb__s_async)(struct bpf_wq *wq)) __ksym;
extern int bpf_async_test_map(void *map__map, int (*cb__async)(struct bpf_map *map)) __ksym;
extern int bpf_async_test_task(int (*cb__async)(struct task_struct *task)) __ksym;
extern int bpf_async_test_two(int (*cb__async)(int *v, struct task_struct *task)) __ksym;
extern int bpf_async_test_void(int (*cb__async)(void)) __ksym;
extern int bpf_async_test_scalar(int (*cb__async)(int value)) __ksym;
extern int bpf_async_test_scalar64(int (*cb__async)(__u64 value)) __ksym;
extern int bpf_async_test_six(int (*cb__async)(int *a, int *b, int *c, int *d, int *e, int *f)) __ksym;

/* Kinds the seed derives from callback parameter names (__sz, __str) */
extern int bpf_async_test_mem_sz(int (*cb__async)(int *buf, int buf__sz)) __ksym;
extern int bpf_async_test_str(int (*cb__async)(const char *s__str)) __ksym;

/* Kinds the seed rejects in async callbacks */
extern int bpf_async_test_ctx(int (*cb__async)(struct __sk_buff *skb)) __ksym;
extern int bpf_async_test_dynptr(int (*cb__async)(struct bpf_dynptr *p)) __ksym;
extern int bpf_async_test_list_head(int (*cb__async)(struct bpf_list_head *h)) __ksym;
extern int bpf_async_test_list_node(int (*cb__async)(struct bpf_list_node *n)) __ksym;
extern int bpf_async_test_rb_root(int (*cb__async)(struct bpf_rb_root *r)) __ksym;
extern int bpf_async_test_rb_node(int (*cb__async)(struct bpf_rb_node *n)) __ksym;
extern int bpf_async_test_callback(int (*cb__async)(int (*inner)(void))) __ksym;

/* A callback parameter without suffix: a plain (unverified) kfunc callback */
extern int bpf_async_test_plain(int (*cb)(int *v)) __ksym;

/* Probes for the callback's context */
extern void bpf_async_test_sleepable(void) __ksym; /* KF_SLEEPABLE */
extern int bpf_async_test_ret(void) __ksym;

/* Upstream 6.12 workqueue kfuncs (declared in the tree's bpf_experimental.h) */
extern int bpf_wq_init(struct bpf_wq *wq, void *p__map, unsigned int flags) __ksym;
extern int bpf_wq_start(struct bpf_wq *wq, unsigned int flags) __ksym;
extern int bpf_wq_set_callback_impl(struct bpf_wq *wq,
				    int (callback_fn)(void *map, int *key, void *value),
				    unsigned int flags__k, void *aux__ign) __ksym;

#endif /* HARNESS_ASYNC_KFUNCS_H */
