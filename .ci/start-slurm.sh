#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the Slurm executor's tests:
# munged, slurmctld and slurmd on localhost, as root, no accounting. Idempotent
# and quick: a cluster that already answers is left alone; a slurm.conf this
# script did not write is never replaced. Exit 0 when `sinfo` shows the node
# idle, else 1 with the reason on stderr (the tests then skip with a banner, or
# fail under CI=true). Needs root and Debian's slurm-wlm + munge.
set -euo pipefail

conf=/etc/slurm/slurm.conf
marker='# written by gan-studio .ci/start-slurm.sh'
node="$(hostname -s)"

fail() { echo "start-slurm: $*" >&2; exit 1; }

running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
node_ready() { sinfo -h -n "$node" -o '%t' 2>/dev/null | grep -Eq '^(idle|mix|alloc)'; }

if [ "$(id -u)" != 0 ]; then
  node_ready && exit 0
  fail "needs root to start a cluster (got uid $(id -u))"
fi
for tool in munged slurmctld slurmd sinfo; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install slurm-wlm munge)"
done

# munge: a key readable only by the munge user, then the daemon.
if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown munge:munge /etc/munge /etc/munge/munge.key
chmod 0700 /etc/munge
chmod 0400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- munged --force
  for _ in $(seq 50); do munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi

if [ -e "$conf" ] && ! grep -qF "$marker" "$conf"; then
  fail "$conf exists and was not written by this script; start that cluster yourself"
fi
cpus="$(nproc)"
# Leave the OS 1 GiB; --mem requests are checked against this.
memory_mb="$(awk '/MemTotal/ { printf "%d", $2 / 1024 - 1024 }' /proc/meminfo)"
mkdir -p /etc/slurm /var/lib/slurm/slurmctld /var/lib/slurm/slurmd /var/log/slurm
cat >"$conf.tmp" <<EOF
$marker
ClusterName=gan-studio-ci
SlurmctldHost=$node
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
SchedulerType=sched/backfill
JobRequeue=1
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
ReturnToService=2
# Quick turnarounds for tests: a finished job leaves squeue soon, the scheduler looks often.
MinJobAge=30
SchedulerParameters=sched_interval=2
KillWait=30
# A job that asks for no memory gets 1 GiB per CPU, so jobs share the node instead of each taking all of it.
DefMemPerCPU=1024
NodeName=$node CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
if cmp -s "$conf.tmp" "$conf" 2>/dev/null; then
  rm -f "$conf.tmp"
  node_ready && exit 0
else
  mv "$conf.tmp" "$conf"
  # A config change needs the daemons restarted.
  for pidfile in /run/slurmd.pid /run/slurmctld.pid; do
    if running "$pidfile"; then
      kill "$(cat "$pidfile")"
      for _ in $(seq 100); do running "$pidfile" || break; sleep 0.1; done
    fi
  done
fi
running /run/slurmctld.pid || slurmctld
running /run/slurmd.pid || slurmd

for _ in $(seq 100); do
  if node_ready; then exit 0; fi
  # A node that came back DOWN (e.g. after a reboot) is put back into service.
  if sinfo -h -n "$node" -o '%t' 2>/dev/null | grep -Eq '^(down|drain)'; then
    scontrol update NodeName="$node" State=RESUME 2>/dev/null || true
  fi
  sleep 0.2
done
fail "the node did not become idle in 20 s: $(sinfo -h -n "$node" -o '%t %E' 2>&1 | head -1); see /var/log/slurm/slurmctld.log and slurmd.log"
