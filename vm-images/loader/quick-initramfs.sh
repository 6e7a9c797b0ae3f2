#!/bin/bash
# Developer tool (not used by the harness): a busybox initramfs whose /init runs harness-loader on
# every object once, prints the JSON lines between markers and the dmesg splat lines, and reboots
# (boot with -no-reboot so QEMU exits). Used to capture Harness.Tests/Fixtures/loader/*.jsonl.
# usage: quick-initramfs.sh ARCH BUSYBOX LOADER OBJDIR OUT.cpio.gz
set -e
arch=$1 bb=$2 loader=$3 objs=$4 out=$5
root=$(mktemp -d /tmp/harness-initrd-$arch.XXXX)
mkdir -p $root/{bin,sbin,usr/bin,proc,sys,dev,objs,tmp}
cp $bb $root/bin/busybox
for a in sh mount poweroff cat echo dmesg ls sleep uname; do ln -s busybox $root/bin/$a; done
cp $loader $root/usr/bin/harness-loader
cp $objs/*.bpf.o $root/objs/
cat > $root/init <<'IN'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo 1 > /proc/sys/kernel/printk
echo "=== kernel $(uname -r) $(uname -m)"
/usr/bin/harness-loader /objs/*.bpf.o > /tmp/out.jsonl
echo "=== loader rc=$?"
echo "=== BEGIN-JSONL"
cat /tmp/out.jsonl
echo "=== END-JSONL"
echo "=== BEGIN-DMESG"
dmesg | grep -iE "BUG|Oops|WARNING|Call Trace|RIP|pc :|Unable to handle|general protection" | head -50
echo "=== END-DMESG"
reboot -f
IN
chmod +x $root/init
(cd $root && find . | cpio -o -H newc --quiet | gzip -1) > $out
rm -rf $root
echo built $out
