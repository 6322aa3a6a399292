#!/usr/bin/env bash
# slurm-ci.sh up|down|status — a throw-away SLURM cluster on this host, without systemd, for the SLURM integration
# tests (weft submit). Needs root; installs slurmctld, slurmd, slurm-client and munge through apt-get if missing.
#   SLURM_FAKE_NODES=0 (default): one real node "localhost" with CPUs=$(nproc)
#   SLURM_FAKE_NODES=N (N>=2):    N emulated nodes node1..nodeN on 127.0.0.1 (one slurmd each, ports 17001..)
#   SLURM_NODE_CPUS=2             CPUs advertised per emulated node
# Daemons are stopped by their PID files, never by name, so other SLURM or munge processes are left alone.
# Taken from ../shared/reference/slurm-mpi-netns.md, which explains each setting (EnforcePartLimits=ALL makes a
# job asking for more than exists fail at once instead of pending for ever; %n in TmpFS and the spool, log and PID
# paths lets several slurmd share one host; SlurmdParameters=config_overrides keeps nodes advertising more CPUs
# than the host has from being drained).
set -euo pipefail
FAKE=${SLURM_FAKE_NODES:-0}
NODE_CPUS=${SLURM_NODE_CPUS:-2}
RUN=/run/slurm

pid_alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat")" != Z ]; }
stop_pidfile() {          # kill the PID in a pidfile (never by name) and wait until gone
  local f=$1 p
  [ -s "$f" ] || return 0
  p=$(cat "$f")
  if pid_alive "$p"; then kill "$p" 2>/dev/null || true
    for _ in $(seq 50); do pid_alive "$p" || break; sleep 0.1; done
    pid_alive "$p" && kill -9 "$p" 2>/dev/null || true
  fi
  rm -f "$f"
}

install_pkgs() {
  if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
      || ! command -v munged >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "slurm-ci.sh: SLURM is not installed and only root can install it" >&2; return 1; }
    # policy-rc.d keeps the packages from starting their own daemons at install time: this script starts them.
    local made_policy=no
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=yes
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        slurmctld slurmd slurm-client munge >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
           --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null; }
    if [ "$made_policy" = yes ]; then rm -f /usr/sbin/policy-rc.d; fi
  fi
}

write_conf() {
  local mem_mb nodeline
  mem_mb=$(( $(awk '/MemTotal/{print $2}' /proc/meminfo) / 1024 - 512 ))
  if [ "$FAKE" -ge 2 ]; then
    nodeline="NodeName=node[1-$FAKE] NodeHostname=localhost NodeAddr=127.0.0.1 Port=[17001-$((17000+FAKE))] CPUs=$NODE_CPUS RealMemory=$((mem_mb / FAKE)) State=UNKNOWN"
    mkdir -p $(seq -f '/var/tmp/slurm/node%g' 1 "$FAKE")
  else
    nodeline="NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$mem_mb State=UNKNOWN"
    mkdir -p /var/tmp/slurm/localhost
  fi
  install -d -m 0755 /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm $RUN
  cat > /etc/slurm/slurm.conf <<CONF
ClusterName=ci
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
SlurmctldPort=6817
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SlurmdParameters=config_overrides
ReturnToService=2
EnforcePartLimits=ALL
MinJobAge=600
KillWait=5
InactiveLimit=0
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd/%n
TmpFS=/var/tmp/slurm/%n
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd-%n.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd-%n.log
$nodeline
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  rm -f /etc/slurm/cgroup.conf   # 22.05 has no CgroupPlugin=disabled; leave autodetect
}

start_munge() {
  [ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
  munge -n >/dev/null 2>&1 || runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "munged did not come up" >&2; return 1
}

nodes() { if [ "$FAKE" -ge 2 ]; then seq -f 'node%g' 1 "$FAKE"; else echo localhost; fi; }

up() {
  install_pkgs
  # On a host where systemd is PID 1 the packages auto-start their units: stop them (untested here).
  if [ -d /run/systemd/system ]; then systemctl stop slurmd slurmctld munge 2>/dev/null || true; fi
  down_slurm
  write_conf
  start_munge
  slurmctld -i                      # -i: discard any old state -> fresh cluster
  for n in $(nodes); do slurmd -N "$n"; done
  local want; want=$(nodes | wc -l)
  for _ in $(seq 150); do
    [ "$(sinfo -h -N -t idle -o %N 2>/dev/null | wc -l)" -eq "$want" ] && { sinfo; return 0; }
    sleep 0.2
  done
  echo "slurm nodes not idle after 30 s" >&2; sinfo -N -l >&2 || true
  tail -n 20 /var/log/slurm/*.log >&2; return 1
}

down_slurm() {
  for f in $RUN/slurmd-*.pid; do [ -e "$f" ] && stop_pidfile "$f"; done
  stop_pidfile $RUN/slurmctld.pid
}
down() { down_slurm; stop_pidfile /run/munge/munged.pid; }

case "${1:-up}" in
  up) up ;;
  down) down ;;
  status) sinfo -N -l; squeue ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
