# Copyright (c) 2026 The ovs-portsec authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at:
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

# ovs-portsec-ovn-lib.sh: a whole OVN deployment on this one machine, in a
# sandbox directory and network namespaces, for the system tests
# (tests/system-port-security-ovn.at), the demo and the benchmarks.  Bash;
# it only defines functions and defaults (and sources ovs-portsec-lib.sh
# from its own directory, if that is not sourced yet).  It needs root.
#
# What runs, and where:
#
#   central   the NB and SB ovsdb-servers (the build tree's, with Debian's
#             OVN schemas) on unix sockets in the sandbox, the SB either
#             standalone or a 3-member RAFT cluster (RAFT on unix sockets
#             too, so two sandboxes never compete for TCP ports), and
#             Debian's ovn-northd.  No network namespace.
#   chassis   namespace $OVN_PREFIX<name>: its own ovsdb-server and conf.db
#             (the build tree's vswitch.ovsschema), the build tree's
#             ovs-vswitchd (userspace datapath) with br-int, and Debian's
#             ovn-controller.  Its daemons get OVS_RUNDIR, OVS_DBDIR,
#             OVS_LOGDIR, OVS_SYSCONFDIR and the OVN_* ones set to its own
#             directory, so that the tools that on_chassis runs reach its
#             daemons only.
#   underlay  namespace ${OVN_PREFIX}underlay: Linux bridge br-underlay,
#             one veth to each chassis.  In the chassis the veth,
#             "underlay", is a port of OVS bridge br-phy (userspace
#             datapath, NORMAL), whose internal interface holds the
#             chassis' tunnel endpoint address $OVN_UNDERLAY.N/24: geneve
#             uses the userspace datapath's native tunnelling, as
#             upstream's system-userspace tests set it up.
#   VMs       namespace $OVN_PREFIX<name> with eth0 (MAC, MTU $OVN_VM_MTU,
#             optional static addresses), whose peer, named <name>, is a
#             port of br-int of a chassis with external_ids:iface-id=LSP
#             and attached-mac=MAC, as libvirt plugs a VM.  Moving a VM
#             moves that peer into another chassis' namespace: the VM keeps
#             its interface, addresses and neighbours, as in a live
#             migration, while the old chassis deletes its port and the new
#             one creates it with the same iface-id.
#
# All state is in files under $OVN_SANDBOX, so the functions also work in
# subshells (autotest's AT_CHECK) and from a trap.  Every function returns
# non-zero, with a message on stderr, if it fails; those that wait give up
# after $OVN_TIMEOUT seconds.
#
# Settings, which the sourcing script may change after sourcing (before
# ovn_start, and then not any more):
#
#   OVN_SANDBOX    the sandbox directory, an absolute path (default
#                  $PWD/ovn-sandbox); it is created, and kept after
#                  ovn_cleanup for its logs.
#   OVN_PREFIX     the prefix of every network namespace's name (default
#                  "ovn-"): give two sandboxes that may run at the same
#                  time different prefixes.
#   OVN_OVS_BUILD  the OVS build tree (ovs/ of ovs-portsec) whose
#                  ovsdb-server, ovsdb-tool, ovs-vswitchd, ovs-vsctl,
#                  ovs-appctl and ovs-ofctl run (ovn_use_build_tree sets
#                  it).  Empty: the tree whose vswitchd/ovs-vswitchd is on
#                  $PATH, as in the system tests.  The system's Open
#                  vSwitch (/usr/sbin, /usr/bin) is never used.
#   OVN_BINDIR     where OVN's programs are (default /usr/bin, Debian's).
#   OVN_SCHEMADIR  where ovn-nb.ovsschema and ovn-sb.ovsschema are
#                  (default /usr/share/ovn).
#   OVN_UNDERLAY   the first three octets of the underlay's /24 (default
#                  172.31.0); chassis N (from 1, in the order they are
#                  added) gets $OVN_UNDERLAY.N unless given an address.
#   OVN_VM_MTU     the MTU of the VMs' eth0 (default 1400, which leaves
#                  room for geneve and its options in the underlay's 1500).
#   OVN_TIMEOUT    seconds that a wait, an ovs-vsctl or an appctl waits at
#                  most (default 30).
#
# Functions (NAME is a chassis or VM name: letters, digits, "-" and "_",
# at most 15 characters, unique among the sandbox's chassis and VMs):
#
#   ovn_use_build_tree BUILD [TIMEOUT]    use build tree BUILD (above); also
#                                         ps_use_build_tree BUILD TIMEOUT
#   ovn_start [--sb-cluster]              central: NB, SB (standalone, or
#                                         3-member cluster), ovn-northd;
#                                         exports OVN_NB_DB and OVN_SB_DB
#   ovn_nbctl ARGS / ovn_sbctl ARGS       ovn-nbctl/ovn-sbctl on the sandbox
#   ovn_nb_remote / ovn_sb_remote         print the NB/SB remote, e.g.
#                                         "unix:A,unix:B,unix:C"
#   ovn_sync                              ovn-nbctl --wait=hv sync
#   ovn_central_appctl DAEMON ARGS        appctl to nb, sb, sb1..sb3, northd
#   ovn_sb_stop [--kill] [MEMBER]         stop (or SIGKILL) the SB, or one
#   ovn_sb_start [MEMBER]                 member: 1, 2, 3, leader or
#   ovn_sb_restart [MEMBER]               follower; none: all of it
#   ovn_sb_leader                         print the leader's member number
#   ovn_sb_wait_leader                    wait until the cluster has one
#   ovn_chassis_add NAME [ENCAP_IP]       start a chassis, wait until its
#                                         ovn-controller is connected
#   on_chassis NAME COMMAND [ARGS]        run COMMAND in chassis NAME (its
#                                         namespace, its daemons): e.g.
#                                         on_chassis hv1 ovs-vsctl show
#   ovn_chassis_dir NAME                  print its directory (logs,
#                                         db.sock for a local OVS IDL)
#   ovn_controller_stop NAME [--restart]  ovn-controller of chassis NAME:
#   ovn_controller_start NAME             without --restart, a stop also
#   ovn_controller_restart NAME           deletes its Chassis row
#   ovn_vswitchd_restart NAME             restart ovs-vswitchd of NAME
#   ovn_wait_chassis NAME                 wait until ovn-controller of NAME
#                                         is connected and registered
#   ovn_agent_start NAME [ARGS]           start ovs-portsec-ovn-agent on
#                                         chassis NAME, wait until it
#                                         answers on its control socket
#   ovn_agent_stop NAME [--kill]          stop it (exit, or SIGKILL)
#   ovn_vm_add CHASSIS VM LSP MAC [ADDR/PLEN]...
#                                         create a VM plugged into CHASSIS
#                                         (IPv4 and IPv6 addresses; without
#                                         an IPv6 one, IPv6 is disabled)
#   ovn_vm_unplug VM                      delete the VM's port on br-int
#   ovn_vm_plug VM [CHASSIS]              create it again, on CHASSIS
#   ovn_vm_move VM CHASSIS                unplug, then plug on CHASSIS
#   ovn_vm_del VM                         delete the VM, its processes too
#   ovn_vm_exec VM COMMAND [ARGS]         run COMMAND in the VM
#   ovn_vm_ping VM DST                    succeed if DST answers a ping
#   ovn_vm_chassis VM                     print the chassis it is on
#   ovn_port_chassis LSP                  print the chassis that binds LSP
#                                         in the SB (nothing if none)
#   ovn_wait_bound LSP CHASSIS            wait until CHASSIS binds LSP and
#                                         set ovn-installed on its port
#   ovn_wait_until COMMAND [ARGS]         wait until COMMAND succeeds
#   ovn_cleanup                           kill every process and delete
#                                         every namespace; safe to call
#                                         twice and from a trap
#
# Example:
#
#   . utilities/ovs-portsec-ovn-lib.sh
#   ovn_use_build_tree "$PWD/ovs" 30
#   trap ovn_cleanup EXIT
#   ovn_start
#   ovn_chassis_add hv1 && ovn_chassis_add hv2
#   ovn_nbctl ls-add ls0 \
#       -- lsp-add ls0 lsp1 \
#       -- lsp-set-addresses lsp1 "f0:00:00:00:00:01 10.0.0.1" \
#       -- lsp-add ls0 lsp2 \
#       -- lsp-set-addresses lsp2 "f0:00:00:00:00:02 10.0.0.2"
#   ovn_vm_add hv1 vm1 lsp1 f0:00:00:00:00:01 10.0.0.1/24
#   ovn_vm_add hv2 vm2 lsp2 f0:00:00:00:00:02 10.0.0.2/24
#   ovn_wait_bound lsp1 hv1 && ovn_wait_bound lsp2 hv2
#   ovn_vm_ping vm1 10.0.0.2
#
# Port security's per-chassis agent, ovs-portsec-ovn-agent, runs in its
# chassis too (ovn_agent_start), with the chassis' own OVS database.
#
# OVN's own testsuite does the same with simulated chassis in one process
# tree (tests/ovn-macros.at: ovn_start, sim_add, ovn_attach); here the
# chassis are real userspace datapaths exchanging geneve over veths.

OVN_SANDBOX=${OVN_SANDBOX:-$PWD/ovn-sandbox}
OVN_PREFIX=${OVN_PREFIX:-ovn-}
OVN_OVS_BUILD=${OVN_OVS_BUILD:-}
OVN_BINDIR=${OVN_BINDIR:-/usr/bin}
OVN_SCHEMADIR=${OVN_SCHEMADIR:-/usr/share/ovn}
OVN_UNDERLAY=${OVN_UNDERLAY:-172.31.0}
OVN_VM_MTU=${OVN_VM_MTU:-1400}
OVN_TIMEOUT=${OVN_TIMEOUT:-30}

if ! declare -F ps_use_build_tree > /dev/null; then
    . "$(dirname "${BASH_SOURCE[0]}")/ovs-portsec-lib.sh"
fi

# ---------------------------------------------------------------------------
# Internals: messages, binaries, daemons, namespaces.

# _ovn_err MESSAGE...: prints MESSAGE on stderr and returns 1.
_ovn_err() {
    echo "ovn-lib: $*" >&2
    return 1
}

# _ovn_ovs_bin NAME: prints the path of the build tree's program NAME
# (ovs-vsctl, ovs-appctl, ovs-ofctl, ovs-dpctl, ovsdb-server, ovsdb-tool,
# ovsdb-client, ovs-vswitchd) or, for NAME "schema", of its
# vswitch.ovsschema.
_ovn_ovs_bin() {
    local build=$OVN_OVS_BUILD vswitchd
    if test -z "$build"; then
        vswitchd=$(command -v ovs-vswitchd) \
            || _ovn_err "no ovs-vswitchd on PATH: call ovn_use_build_tree" \
            || return 1
        build=${vswitchd%/vswitchd/ovs-vswitchd}
        if test "$build" = "$vswitchd"; then
            _ovn_err "$vswitchd is not in a build tree's vswitchd/" \
                     "(the system's Open vSwitch is never used):" \
                     "call ovn_use_build_tree"
            return 1
        fi
    fi
    case $1 in
    ovs-vsctl|ovs-appctl|ovs-ofctl|ovs-dpctl) echo "$build/utilities/$1" ;;
    ovsdb-server|ovsdb-tool|ovsdb-client) echo "$build/ovsdb/$1" ;;
    ovs-vswitchd) echo "$build/vswitchd/$1" ;;
    schema) echo "$build/vswitchd/vswitch.ovsschema" ;;
    *) _ovn_err "_ovn_ovs_bin: unknown program $1" ;;
    esac
}

# _ovn_run DIR NS COMMAND [ARGS]: runs COMMAND with the OVS and OVN
# directories set to DIR, in network namespace NS (none if empty).  A
# COMMAND that names an OVS tool runs the build tree's, with --timeout for
# ovs-vsctl and ovs-appctl; one that names an OVN tool runs $OVN_BINDIR's.
_ovn_run() {
    local dir=$1 ns=$2 cmd=$3
    local -a args=("${@:4}") netns=()
    case $cmd in
    ovs-vsctl|ovs-appctl)
        cmd=$(_ovn_ovs_bin "$cmd") || return 1
        args=(--timeout="$OVN_TIMEOUT" "${args[@]}")
        ;;
    ovs-ofctl|ovs-dpctl|ovsdb-server|ovsdb-tool|ovsdb-client|ovs-vswitchd)
        cmd=$(_ovn_ovs_bin "$cmd") || return 1
        ;;
    ovn-appctl)
        cmd=$OVN_BINDIR/$cmd
        args=(--timeout="$OVN_TIMEOUT" "${args[@]}")
        ;;
    ovn-*)
        cmd=$OVN_BINDIR/$cmd
        ;;
    esac
    if test -n "$ns"; then
        netns=(ip netns exec "$ns")
    fi
    "${netns[@]}" env OVS_RUNDIR="$dir" OVS_DBDIR="$dir" OVS_LOGDIR="$dir" \
        OVS_SYSCONFDIR="$dir" OVN_RUNDIR="$dir" OVN_DBDIR="$dir" \
        OVN_LOGDIR="$dir" OVN_SYSCONFDIR="$dir" "$cmd" "${args[@]}"
}

# _ovn_alive PID: succeeds if process PID runs and is not a zombie (which
# this machine's init may take seconds to reap).
_ovn_alive() {
    local stat
    read -r stat 2>/dev/null < "/proc/$1/stat" || return 1
    stat=${stat##*) }
    test "${stat%% *}" != Z
}

# _ovn_pid PIDFILE: prints the pid in PIDFILE if that process is alive and
# is one of the sandbox's (its command line names the sandbox), else fails.
_ovn_pid() {
    local pid
    pid=$(cat "$1" 2>/dev/null) || return 1
    test -n "$pid" && _ovn_alive "$pid" || return 1
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null \
        | grep -qF -- "$OVN_SANDBOX/" || return 1
    echo "$pid"
}

# _ovn_kill PIDFILE [SIGNAL]: sends SIGNAL (default TERM) to the process
# of PIDFILE, if it runs, and waits until it is gone (with SIGKILL after
# $OVN_TIMEOUT seconds).
_ovn_kill() {
    local pid i
    pid=$(_ovn_pid "$1") || return 0
    kill -"${2:-TERM}" "$pid" 2>/dev/null
    for ((i = 0; i < OVN_TIMEOUT * 10; i++)); do
        _ovn_alive "$pid" || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    while _ovn_alive "$pid"; do sleep 0.1; done
}

# _ovn_exit PIDFILE COMMAND [ARGS]: asks the daemon of PIDFILE to exit by
# running COMMAND (its appctl "exit"), and waits until it is gone; kills it
# if it does not go within $OVN_TIMEOUT seconds.
_ovn_exit() {
    local pidfile=$1 pid i
    shift
    pid=$(_ovn_pid "$pidfile") || return 0
    "$@" > /dev/null 2>&1
    for ((i = 0; i < OVN_TIMEOUT * 10; i++)); do
        _ovn_alive "$pid" || return 0
        sleep 0.1
    done
    _ovn_kill "$pidfile"
}

# _ovn_netns_add NS [ipv6]: creates network namespace NS, with lo up, and
# records it for ovn_cleanup.  Without "ipv6", IPv6 is disabled in NS, so
# that its interfaces send no router solicitations or MLD reports.
_ovn_netns_add() {
    ip netns add "$1" || _ovn_err "cannot create namespace $1" || return 1
    echo "$1" >> "$OVN_SANDBOX/namespaces"
    if test "${2:-}" != ipv6; then
        ip netns exec "$1" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
            net.ipv6.conf.default.disable_ipv6=1
    fi
    ip -n "$1" link set lo up
}

# _ovn_check_name NAME: fails unless NAME is a valid, unused chassis or VM
# name.
_ovn_check_name() {
    case $1 in
    ''|*[!A-Za-z0-9_-]*|????????????????*)
        _ovn_err "bad name \"$1\": 1 to 15 letters, digits, - or _" ;;
    underlay|br-int|br-phy|br-underlay|ovs-netdev|lo|eth0)
        _ovn_err "name \"$1\" is reserved" ;;
    *)
        if test -e "$OVN_SANDBOX/chassis/$1" || test -e "$OVN_SANDBOX/vm/$1"
        then
            _ovn_err "there is already a chassis or VM named $1"
        fi
        ;;
    esac
}

# _ovn_dir chassis|vm NAME: prints the directory of chassis or VM NAME
# (for a VM, files chassis, lsp and mac say where it is and what it is);
# fails if there is none.
_ovn_dir() {
    local d=$OVN_SANDBOX/$1/$2
    test -n "$2" && test -d "$d" || _ovn_err "no $1 \"$2\"" || return 1
    echo "$d"
}

# ovn_wait_until COMMAND [ARGS]
#
# Runs COMMAND every 0.1 s until it succeeds; fails, saying so on stderr,
# if it has not within $OVN_TIMEOUT seconds.
ovn_wait_until() {
    local i
    for ((i = 0; i < OVN_TIMEOUT * 10; i++)); do
        if "$@"; then
            return 0
        fi
        sleep 0.1
    done
    _ovn_err "timed out after $OVN_TIMEOUT s waiting for: $*"
}

# ovn_use_build_tree BUILD [TIMEOUT]
#
# Runs the OVS programs of build tree BUILD (absolute, e.g. the ovs/ of a
# built ovs-portsec) in the sandbox, and, through ps_use_build_tree of
# ovs-portsec-lib.sh, makes the caller's ovs-vsctl, ovs-appctl and
# ovs-ofctl those of BUILD, waiting at most TIMEOUT seconds (default
# $OVN_TIMEOUT).
ovn_use_build_tree() {
    test -x "$1/vswitchd/ovs-vswitchd" \
        || _ovn_err "$1 is not a built Open vSwitch tree" || return 1
    OVN_OVS_BUILD=$1
    ps_use_build_tree "$1" "${2:-$OVN_TIMEOUT}"
}

# ---------------------------------------------------------------------------
# Central: NB and SB databases, ovn-northd.

# _ovn_central DAEMON: prints the directory of central daemon DAEMON (nb,
# sb, sb1, sb2, sb3, northd).
_ovn_central() {
    echo "$OVN_SANDBOX/central/$1"
}

# _ovn_sb_members: prints the SB's member directories' names, "sb" for a
# standalone SB, "sb1 sb2 sb3" for a cluster.
_ovn_sb_members() {
    if test -d "$OVN_SANDBOX/central/sb"; then
        echo sb
    else
        echo sb1 sb2 sb3
    fi
}

# _ovn_ovsdb_start DAEMON: starts the ovsdb-server of central DAEMON (nb,
# sb, sbN) on its existing database file.
_ovn_ovsdb_start() {
    local d db
    d=$(_ovn_central "$1")
    case $1 in nb) db=ovnnb_db ;; *) db=ovnsb_db ;; esac
    _ovn_pid "$d/ovsdb-server.pid" > /dev/null && return 0
    _ovn_run "$d" "" ovsdb-server --detach --no-chdir -vconsole:off \
        --pidfile="$d/ovsdb-server.pid" --log-file="$d/ovsdb-server.log" \
        --unixctl="$d/ovsdb-server.ctl" --remote=punix:"$d/$db.sock" \
        "$d/$db.db" \
        || _ovn_err "cannot start the ovsdb-server of $1"
}

# ovn_central_appctl DAEMON ARGS...
#
# Sends ARGS (a unixctl command) to central DAEMON: nb, sb (a standalone
# SB), sb1, sb2, sb3 (the members of a clustered SB) or northd, e.g.
# "ovn_central_appctl sb2 cluster/status OVN_Southbound".
ovn_central_appctl() {
    local d
    d=$(_ovn_central "$1")
    case $1 in
    northd) _ovn_run "$d" "" ovn-appctl -t "$d/ovn-northd.ctl" "${@:2}" ;;
    nb|sb|sb[123]) _ovn_run "$d" "" ovs-appctl -t "$d/ovsdb-server.ctl" \
                       "${@:2}" ;;
    *) _ovn_err "ovn_central_appctl: no central daemon $1" ;;
    esac
}

# ovn_nb_remote, ovn_sb_remote
#
# Print the OVSDB remote of the NB and SB databases, for clients outside
# this library (e.g. Python's ovsdbapp): "unix:PATH" for the NB and a
# standalone SB, "unix:PATH1,unix:PATH2,unix:PATH3" for a clustered SB.
ovn_nb_remote() {
    echo "unix:$(_ovn_central nb)/ovnnb_db.sock"
}
ovn_sb_remote() {
    local m remote=
    for m in $(_ovn_sb_members); do
        remote=$remote${remote:+,}unix:$(_ovn_central "$m")/ovnsb_db.sock
    done
    echo "$remote"
}

# ovn_nbctl ARGS..., ovn_sbctl ARGS...
#
# Debian's ovn-nbctl and ovn-sbctl on the sandbox's databases, waiting at
# most $OVN_TIMEOUT seconds.
ovn_nbctl() {
    "$OVN_BINDIR/ovn-nbctl" --timeout="$OVN_TIMEOUT" \
        --db="$(ovn_nb_remote)" "$@"
}
ovn_sbctl() {
    "$OVN_BINDIR/ovn-sbctl" --timeout="$OVN_TIMEOUT" \
        --db="$(ovn_sb_remote)" "$@"
}

# ovn_sync
#
# Waits until every chassis has caught up with the NB database as it is
# now (ovn-nbctl --wait=hv sync).
ovn_sync() {
    ovn_nbctl --wait=hv sync
}

# ovn_start [--sb-cluster]
#
# Creates $OVN_SANDBOX and starts the central part in it: the NB
# database, the SB database (standalone, or with --sb-cluster a 3-member
# RAFT cluster, whose members 2 and 3 join member 1), and ovn-northd.
# Exports OVN_NB_DB and OVN_SB_DB, so that plain ovn-nbctl and ovn-sbctl
# in the calling shell use them too.  Fails if the sandbox already holds a
# deployment.
ovn_start() {
    local cluster=false d m schema
    case ${1:-} in
    --sb-cluster) cluster=true ;;
    '') ;;
    *) _ovn_err "usage: ovn_start [--sb-cluster]"; return 1 ;;
    esac
    test -x "$OVN_BINDIR/ovn-northd" && test -x "$OVN_BINDIR/ovn-controller" \
        || _ovn_err "no ovn-northd or ovn-controller in $OVN_BINDIR" \
        || return 1
    case $OVN_SANDBOX in
    /*) ;;
    *) _ovn_err "OVN_SANDBOX ($OVN_SANDBOX) is not an absolute path"
       return 1 ;;
    esac
    test ! -e "$OVN_SANDBOX/central" \
        || _ovn_err "$OVN_SANDBOX already holds an OVN deployment:" \
                    "ovn_cleanup, then remove it" \
        || return 1
    mkdir -p "$OVN_SANDBOX/central" "$OVN_SANDBOX/chassis" \
        "$OVN_SANDBOX/vm" || return 1
    : >> "$OVN_SANDBOX/namespaces"

    d=$(_ovn_central nb)
    mkdir "$d" || return 1
    _ovn_run "$d" "" ovsdb-tool create "$d/ovnnb_db.db" \
        "$OVN_SCHEMADIR/ovn-nb.ovsschema" || return 1
    _ovn_ovsdb_start nb || return 1

    schema=$OVN_SCHEMADIR/ovn-sb.ovsschema
    if $cluster; then
        for m in 1 2 3; do
            d=$(_ovn_central "sb$m")
            mkdir "$d" || return 1
            if test $m = 1; then
                # -vconsole:off: it warns that the cluster makes the
                # schema's ephemeral columns persistent.
                _ovn_run "$d" "" ovsdb-tool -vconsole:off create-cluster \
                    "$d/ovnsb_db.db" "$schema" "unix:$d/raft.sock" \
                    || return 1
            else
                _ovn_run "$d" "" ovsdb-tool join-cluster "$d/ovnsb_db.db" \
                    OVN_Southbound "unix:$d/raft.sock" \
                    "unix:$(_ovn_central sb1)/raft.sock" || return 1
            fi
        done
        for m in 1 2 3; do
            _ovn_ovsdb_start "sb$m" || return 1
        done
        for m in 1 2 3; do
            ovn_wait_until _ovn_sb_is_member "sb$m" || return 1
        done
    else
        d=$(_ovn_central sb)
        mkdir "$d" || return 1
        _ovn_run "$d" "" ovsdb-tool create "$d/ovnsb_db.db" "$schema" \
            || return 1
        _ovn_ovsdb_start sb || return 1
    fi
    ovn_nbctl init && ovn_sbctl init || return 1

    d=$(_ovn_central northd)
    mkdir "$d" || return 1
    _ovn_northd_start || return 1
    export OVN_NB_DB OVN_SB_DB
    OVN_NB_DB=$(ovn_nb_remote)
    OVN_SB_DB=$(ovn_sb_remote)
    ovn_nbctl --wait=sb sync
}

# _ovn_northd_start: starts ovn-northd.
_ovn_northd_start() {
    local d
    d=$(_ovn_central northd)
    _ovn_run "$d" "" ovn-northd --detach --no-chdir -vconsole:off \
        --pidfile="$d/ovn-northd.pid" --log-file="$d/ovn-northd.log" \
        --unixctl="$d/ovn-northd.ctl" --ovnnb-db="$(ovn_nb_remote)" \
        --ovnsb-db="$(ovn_sb_remote)" \
        || _ovn_err "cannot start ovn-northd"
}

# _ovn_sb_is_member DAEMON: succeeds if SB member DAEMON (sbN) has joined
# the cluster.
_ovn_sb_is_member() {
    ovn_central_appctl "$1" cluster/status OVN_Southbound 2>/dev/null \
        | grep -q '^Status: cluster member'
}

# _ovn_sb_role DAEMON: prints the RAFT role (leader, follower, candidate)
# of running SB member DAEMON (sbN).
_ovn_sb_role() {
    ovn_central_appctl "$1" cluster/status OVN_Southbound 2>/dev/null \
        | sed -n 's/^Role: //p'
}

# ovn_sb_leader
#
# Prints the number (1, 2 or 3) of the clustered SB's current leader;
# fails if no running member is the leader.
ovn_sb_leader() {
    local m
    test "$(_ovn_sb_members)" != sb \
        || _ovn_err "the SB is not clustered" || return 1
    for m in 1 2 3; do
        if test "$(_ovn_sb_role "sb$m")" = leader; then
            echo $m
            return 0
        fi
    done
    return 1
}

# ovn_sb_wait_leader
#
# Waits until the clustered SB has a leader.
ovn_sb_wait_leader() {
    ovn_wait_until ovn_sb_leader > /dev/null
}

# _ovn_sb_select [MEMBER]: prints the member directories' names that
# MEMBER selects: all of them if empty, else sb for a standalone SB, else
# sbN for 1, 2, 3, the leader's for "leader" or the first running
# follower's for "follower".
_ovn_sb_select() {
    local m
    if test "$(_ovn_sb_members)" = sb; then
        case ${1:-} in
        ''|1|leader) echo sb ;;
        *) _ovn_err "the SB is standalone: it has no member $1" ;;
        esac
        return
    fi
    case ${1:-} in
    '') echo sb1 sb2 sb3 ;;
    1|2|3) echo "sb$1" ;;
    leader)
        m=$(ovn_sb_leader) || _ovn_err "the SB cluster has no leader" \
            || return 1
        echo "sb$m"
        ;;
    follower)
        for m in 1 2 3; do
            if test "$(_ovn_sb_role "sb$m")" = follower; then
                echo "sb$m"
                return 0
            fi
        done
        _ovn_err "the SB cluster has no running follower"
        ;;
    *) _ovn_err "no SB member $1 (1, 2, 3, leader or follower)" ;;
    esac
}

# ovn_sb_stop [--kill] [MEMBER]
#
# Stops the SB's ovsdb-server (all members if clustered), or only MEMBER
# of the cluster (1, 2, 3, leader or follower): gracefully, or with
# --kill by SIGKILL, as a crash.  Prints the stopped members' numbers
# (nothing for a standalone SB).
ovn_sb_stop() {
    local kill=false m members d
    if test "${1:-}" = --kill; then
        kill=true
        shift
    fi
    members=$(_ovn_sb_select "${1:-}") || return 1
    for m in $members; do
        d=$(_ovn_central "$m")
        if $kill; then
            _ovn_kill "$d/ovsdb-server.pid" KILL
        else
            _ovn_exit "$d/ovsdb-server.pid" ovn_central_appctl "$m" exit
        fi
        if test "$m" != sb; then
            echo "${m#sb}"
        fi
    done
}

# ovn_sb_start [MEMBER]
#
# Starts the SB's ovsdb-servers that are not running (all, or MEMBER 1, 2
# or 3 of a cluster) on their database files.
ovn_sb_start() {
    local m members
    members=$(_ovn_sb_select "${1:-}") || return 1
    for m in $members; do
        _ovn_ovsdb_start "$m" || return 1
    done
}

# ovn_sb_restart [MEMBER]
#
# ovn_sb_stop [MEMBER], then ovn_sb_start of the same members.  For the
# leader or a follower, the member restarted is the one that was the
# leader or a follower before the restart.
ovn_sb_restart() {
    local m members
    members=$(ovn_sb_stop "${1:-}") || return 1
    if test -z "$members"; then
        ovn_sb_start
    else
        for m in $members; do
            ovn_sb_start "$m" || return 1
        done
    fi
}

# ---------------------------------------------------------------------------
# Chassis.

# ovn_chassis_dir NAME
#
# Prints the directory of chassis NAME: its conf.db and db.sock (a local
# OVS IDL connects to unix:DIR/db.sock), logs, pidfiles and control
# sockets.  Fails if there is no such chassis.
ovn_chassis_dir() {
    _ovn_dir chassis "$1"
}

# on_chassis NAME COMMAND [ARGS...]
#
# Runs COMMAND in chassis NAME: in its network namespace, with OVS_RUNDIR,
# OVS_DBDIR, OVS_LOGDIR, OVS_SYSCONFDIR, OVN_RUNDIR... set to its
# directory.  ovs-vsctl, ovs-appctl, ovs-ofctl, ovs-dpctl and ovsdb-client
# are the build tree's (with --timeout=$OVN_TIMEOUT for ovs-vsctl and
# ovs-appctl), ovn-appctl and other ovn-* Debian's, so that e.g.
# "on_chassis hv1 ovs-vsctl show", "on_chassis hv1 ovs-ofctl dump-flows
# br-int" and "on_chassis hv1 ovn-appctl -t ovn-controller
# connection-status" talk to hv1's daemons.  COMMAND cannot be a shell
# function.
on_chassis() {
    local d
    d=$(ovn_chassis_dir "$1") || return 1
    _ovn_run "$d" "$OVN_PREFIX$1" "${@:2}"
}

# _ovn_underlay: creates the underlay namespace and its bridge, if not yet.
_ovn_underlay() {
    local ns=${OVN_PREFIX}underlay
    grep -qx -- "$ns" "$OVN_SANDBOX/namespaces" && return 0
    _ovn_netns_add "$ns" || return 1
    ip -n "$ns" link add br-underlay type bridge \
        && ip -n "$ns" link set br-underlay up
}

# _ovn_vswitchd_start NAME: starts ovs-vswitchd of chassis NAME and gives
# br-phy, if it exists, its tunnel endpoint address.
_ovn_vswitchd_start() {
    local d
    d=$(ovn_chassis_dir "$1") || return 1
    on_chassis "$1" ovs-vswitchd --detach --no-chdir -vconsole:off \
        --pidfile="$d/ovs-vswitchd.pid" --log-file="$d/ovs-vswitchd.log" \
        --disable-system "unix:$d/db.sock" \
        || _ovn_err "cannot start ovs-vswitchd of $1" || return 1
    if on_chassis "$1" ovs-vsctl br-exists br-phy; then
        _ovn_br_phy_address "$1"
    fi
}

# _ovn_br_phy_address NAME: gives br-phy of chassis NAME its address, once
# ovs-vswitchd has (re)created it.
_ovn_br_phy_address() {
    local ns=$OVN_PREFIX$1 ip
    ip=$(cat "$(ovn_chassis_dir "$1")/encap-ip") || return 1
    ovn_wait_until ip -n "$ns" link show br-phy > /dev/null 2>&1 \
        && ip -n "$ns" addr replace "$ip/24" dev br-phy \
        && ip -n "$ns" link set br-phy up
}

# ovn_chassis_add NAME [ENCAP_IP]
#
# Creates chassis NAME, with tunnel endpoint address ENCAP_IP (default
# $OVN_UNDERLAY.N for the Nth chassis), and waits until its ovn-controller
# is connected to the SB and has registered it: Open_vSwitch
# external_ids system-id=NAME, hostname=NAME, ovn-remote (the SB),
# ovn-encap-type=geneve, ovn-encap-ip=ENCAP_IP and
# ovn-bridge-datapath-type=netdev; br-int of datapath_type netdev,
# fail-mode secure, in-band control off; br-phy with the underlay.
ovn_chassis_add() {
    local name=$1 ip=${2:-} d ns n
    test -d "$OVN_SANDBOX/central" \
        || _ovn_err "call ovn_start before ovn_chassis_add" || return 1
    _ovn_check_name "$name" || return 1
    d=$OVN_SANDBOX/chassis/$name
    ns=$OVN_PREFIX$name
    mkdir "$d" || return 1
    if test -z "$ip"; then
        n=$(find "$OVN_SANDBOX/chassis" -mindepth 1 -maxdepth 1 -type d \
                | wc -l)
        ip=$OVN_UNDERLAY.$n
    fi
    echo "$ip" > "$d/encap-ip"

    _ovn_underlay && _ovn_netns_add "$ns" || return 1
    ip -n "${OVN_PREFIX}underlay" link add "$name" type veth \
            peer name underlay netns "$ns" \
        && ip -n "${OVN_PREFIX}underlay" link set "$name" \
            master br-underlay up \
        && ip -n "$ns" link set underlay up \
        || _ovn_err "cannot link $name to the underlay" || return 1

    on_chassis "$name" ovsdb-tool create "$d/conf.db" \
        "$(_ovn_ovs_bin schema)" || return 1
    on_chassis "$name" ovsdb-server --detach --no-chdir -vconsole:off \
        --pidfile="$d/ovsdb-server.pid" --log-file="$d/ovsdb-server.log" \
        --remote=punix:"$d/db.sock" \
        --remote=db:Open_vSwitch,Open_vSwitch,manager_options "$d/conf.db" \
        || _ovn_err "cannot start ovsdb-server of $name" || return 1
    on_chassis "$name" ovs-vsctl --no-wait -- init \
        -- set Open_vSwitch . external_ids:system-id="$name" \
            external_ids:hostname="$name" \
            external_ids:ovn-remote="\"$(ovn_sb_remote)\"" \
            external_ids:ovn-encap-type=geneve \
            external_ids:ovn-encap-ip="$ip" \
            external_ids:ovn-bridge-datapath-type=netdev || return 1
    _ovn_vswitchd_start "$name" || return 1
    on_chassis "$name" ovs-vsctl \
        -- add-br br-phy -- set Bridge br-phy datapath_type=netdev \
        -- add-port br-phy underlay \
        -- add-br br-int -- set Bridge br-int datapath_type=netdev \
            fail_mode=secure other_config:disable-in-band=true \
        || return 1
    _ovn_br_phy_address "$name" || return 1
    ovn_controller_start "$name"
}

# ovn_wait_chassis NAME
#
# Waits until ovn-controller of chassis NAME is connected to the SB and
# the SB has its Chassis row.
ovn_wait_chassis() {
    ovn_chassis_dir "$1" > /dev/null || return 1
    ovn_wait_until _ovn_chassis_ready "$1"
}

# _ovn_chassis_ready NAME: succeeds if chassis NAME is connected and
# registered.
_ovn_chassis_ready() {
    test "$(on_chassis "$1" ovn-appctl -t ovn-controller \
                connection-status 2>/dev/null)" = connected \
        && test -n "$(ovn_sbctl --bare --columns=name find Chassis \
                          name="$1" 2>/dev/null)"
}

# ovn_controller_start NAME
#
# Starts ovn-controller of chassis NAME, if it is not running, and waits
# until it is connected and registered (ovn_wait_chassis).
ovn_controller_start() {
    local d
    d=$(ovn_chassis_dir "$1") || return 1
    if ! _ovn_pid "$d/ovn-controller.pid" > /dev/null; then
        on_chassis "$1" ovn-controller --detach --no-chdir -vconsole:off \
            --pidfile="$d/ovn-controller.pid" \
            --log-file="$d/ovn-controller.log" "unix:$d/db.sock" \
            || _ovn_err "cannot start ovn-controller of $1" || return 1
    fi
    ovn_wait_chassis "$1"
}

# ovn_controller_stop NAME [--restart]
#
# Stops ovn-controller of chassis NAME with "ovn-appctl exit": without
# --restart, it also deletes its Chassis row and releases its ports, as
# when the service is stopped; with --restart, it leaves them, as when the
# service restarts.
ovn_controller_stop() {
    local d
    d=$(ovn_chassis_dir "$1") || return 1
    _ovn_exit "$d/ovn-controller.pid" \
        on_chassis "$1" ovn-appctl -t ovn-controller exit ${2:+"$2"}
}

# ovn_controller_restart NAME
#
# Restarts ovn-controller of chassis NAME and waits until it is connected
# again.  Like any (re)connection, this makes it rewrite br-int's flows.
ovn_controller_restart() {
    ovn_controller_stop "$1" --restart && ovn_controller_start "$1"
}

# ovn_vswitchd_restart NAME
#
# Restarts ovs-vswitchd of chassis NAME.  Its ports and bridges stay in
# its database; its OpenFlow flows are gone until ovn-controller, which
# reconnects on its own, installs them again, shortly after this returns.
ovn_vswitchd_restart() {
    local d
    d=$(ovn_chassis_dir "$1") || return 1
    _ovn_exit "$d/ovs-vswitchd.pid" on_chassis "$1" ovs-appctl \
        -t ovs-vswitchd exit
    _ovn_vswitchd_start "$1"
}

# ---------------------------------------------------------------------------
# ovs-portsec-ovn-agent.

# The directory of this file, where ovs-portsec-ovn-agent is too.
_ovn_libdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# ovn_agent_start NAME [ARGS...]
#
# Starts ovs-portsec-ovn-agent (next to this file) on chassis NAME, if it
# is not running, with the build tree's python-ovs, the chassis' own OVS
# database and ARGS (e.g. --status-interval=1), logging to
# ovs-portsec-ovn-agent.log in the chassis' directory, and waits until it
# answers on its control socket ("on_chassis NAME ovs-appctl -t
# ovs-portsec-ovn-agent show").  It finds the SB and the chassis name in
# the chassis' Open_vSwitch external_ids, as ovn-controller does.
ovn_agent_start() {
    local d build
    d=$(ovn_chassis_dir "$1") || return 1
    build=$(_ovn_ovs_bin ovs-vsctl) || return 1
    build=${build%/utilities/ovs-vsctl}
    if ! _ovn_pid "$d/ovs-portsec-ovn-agent.pid" > /dev/null; then
        PYTHONPATH=$build/python on_chassis "$1" /usr/bin/python3 \
            "$_ovn_libdir/ovs-portsec-ovn-agent" --detach --no-chdir \
            --pidfile="$d/ovs-portsec-ovn-agent.pid" \
            --log-file="$d/ovs-portsec-ovn-agent.log" \
            --ovs-db="unix:$d/db.sock" "${@:2}" \
            || _ovn_err "cannot start ovs-portsec-ovn-agent of $1" \
            || return 1
    fi
    ovn_wait_until on_chassis "$1" ovs-appctl -t ovs-portsec-ovn-agent \
        show > /dev/null
}

# ovn_agent_stop NAME [--kill]
#
# Stops ovs-portsec-ovn-agent of chassis NAME ("exit"; with --kill,
# SIGKILL, as a crash would), and waits until it is gone.
ovn_agent_stop() {
    local d
    d=$(ovn_chassis_dir "$1") || return 1
    if test "${2:-}" = --kill; then
        _ovn_kill "$d/ovs-portsec-ovn-agent.pid" KILL
    else
        _ovn_exit "$d/ovs-portsec-ovn-agent.pid" \
            on_chassis "$1" ovs-appctl -t ovs-portsec-ovn-agent exit
    fi
}

# ---------------------------------------------------------------------------
# VMs.

# ovn_vm_chassis VM
#
# Prints the chassis that VM is on (or, if unplugged, was last on).
ovn_vm_chassis() {
    local d
    d=$(_ovn_dir vm "$1") && cat "$d/chassis"
}

# ovn_vm_exec VM COMMAND [ARGS...]
#
# Runs COMMAND (not a shell function) in the network namespace of VM.
ovn_vm_exec() {
    _ovn_dir vm "$1" > /dev/null || return 1
    ip netns exec "$OVN_PREFIX$1" "${@:2}"
}

# ovn_vm_ping VM DST
#
# Succeeds if DST (IPv4 or IPv6) answers VM's ping: 2 pings, 0.2 s apart,
# each given a second.
ovn_vm_ping() {
    ovn_vm_exec "$1" ping -q -c 2 -i 0.2 -W 1 "$2" > /dev/null 2>&1
}

# ovn_vm_add CHASSIS VM LSP MAC [ADDR/PLEN...]
#
# Creates VM: network namespace $OVN_PREFIX$VM with eth0 (MAC, MTU
# $OVN_VM_MTU, TX offloads off for the userspace datapath's AF_PACKET
# socket, each IPv4 or IPv6 ADDR/PLEN given), whose peer VM is a port of
# br-int of CHASSIS with external_ids iface-id=LSP, attached-mac=MAC and
# iface-status=active.  IPv6 is disabled in the VM unless it has an IPv6
# address, and then it does no duplicate address detection and ignores
# router advertisements.  Does not wait for OVN (see ovn_wait_bound).
ovn_vm_add() {
    local chassis=$1 vm=$2 lsp=$3 mac=$4 d ns a v6=false
    ovn_chassis_dir "$chassis" > /dev/null && _ovn_check_name "$vm" \
        || return 1
    test -n "$lsp" && test -n "$mac" \
        || _ovn_err "usage: ovn_vm_add CHASSIS VM LSP MAC [ADDR/PLEN...]" \
        || return 1
    d=$OVN_SANDBOX/vm/$vm
    ns=$OVN_PREFIX$vm
    mkdir "$d" || return 1
    echo "$lsp" > "$d/lsp"
    echo "$mac" > "$d/mac"
    echo "$chassis" > "$d/chassis"
    for a in "${@:5}"; do
        case $a in *:*) v6=true ;; esac
    done

    if $v6; then
        _ovn_netns_add "$ns" ipv6 \
            && ip netns exec "$ns" sysctl -q -w \
                   net.ipv6.conf.all.accept_dad=0 \
                   net.ipv6.conf.default.accept_dad=0 \
                   net.ipv6.conf.all.accept_ra=0 \
                   net.ipv6.conf.default.accept_ra=0 || return 1
    else
        _ovn_netns_add "$ns" || return 1
    fi
    ip -n "$ns" link add eth0 type veth peer name "$vm" \
            netns "$OVN_PREFIX$chassis" \
        && ip -n "$ns" link set eth0 address "$mac" mtu "$OVN_VM_MTU" \
        || _ovn_err "cannot create the interface of $vm" || return 1
    ip netns exec "$ns" ethtool -K eth0 tx off > /dev/null 2>&1
    for a in "${@:5}"; do
        ip -n "$ns" addr add "$a" dev eth0 \
            || _ovn_err "cannot give $vm address $a" || return 1
    done
    ip -n "$ns" link set eth0 up && _ovn_vm_plug "$vm" "$chassis"
}

# _ovn_vm_plug VM CHASSIS: makes VM's peer, already in CHASSIS, a port of
# its br-int.
_ovn_vm_plug() {
    local d vm=$1 chassis=$2
    d=$(_ovn_dir vm "$vm") || return 1
    ip -n "$OVN_PREFIX$chassis" link set "$vm" up \
        && on_chassis "$chassis" ovs-vsctl -- add-port br-int "$vm" \
            -- set Interface "$vm" \
                external_ids:iface-id="\"$(cat "$d/lsp")\"" \
                external_ids:attached-mac="\"$(cat "$d/mac")\"" \
                external_ids:iface-status=active \
        && echo "$chassis" > "$d/chassis"
}

# ovn_vm_unplug VM
#
# Deletes VM's port from br-int of its chassis, as when the VM is shut
# down or its port deleted; its interface stays.  Does nothing if it is
# not plugged.
ovn_vm_unplug() {
    local chassis
    chassis=$(ovn_vm_chassis "$1") || return 1
    on_chassis "$chassis" ovs-vsctl --if-exists del-port br-int "$1"
}

# ovn_vm_plug VM [CHASSIS]
#
# Plugs VM, unplugged, into br-int of CHASSIS (default: the chassis it was
# on) with the same iface-id and attached-mac, as when a VM starts on, or
# migrates to, CHASSIS.
ovn_vm_plug() {
    local vm=$1 old new
    old=$(ovn_vm_chassis "$vm") || return 1
    new=${2:-$old}
    ovn_chassis_dir "$new" > /dev/null || return 1
    if on_chassis "$old" ovs-vsctl port-to-br "$vm" > /dev/null 2>&1; then
        _ovn_err "$vm is still plugged into $old" || return 1
    fi
    if test "$new" != "$old"; then
        ip -n "$OVN_PREFIX$old" link set "$vm" netns "$OVN_PREFIX$new" \
            || _ovn_err "cannot move the port of $vm to $new" || return 1
    fi
    _ovn_vm_plug "$vm" "$new"
}

# ovn_vm_move VM CHASSIS
#
# Migrates VM to CHASSIS: deletes its port on its chassis, then creates it
# on CHASSIS with the same iface-id.  The VM keeps its interface,
# addresses, neighbours and processes.  Does not wait for OVN (see
# ovn_wait_bound).
ovn_vm_move() {
    ovn_vm_unplug "$1" && ovn_vm_plug "$1" "$2"
}

# ovn_vm_del VM
#
# Unplugs VM, kills the processes in its namespace and deletes it.
ovn_vm_del() {
    local d
    d=$(_ovn_dir vm "$1") || return 1
    ovn_vm_unplug "$1"
    _ovn_netns_del "$OVN_PREFIX$1"
    rm -rf "$d"
}

# _ovn_netns_del NS: kills the processes in network namespace NS (SIGTERM,
# then after 2 s SIGKILL) and deletes it, if it exists.
_ovn_netns_del() {
    local pids pid left i
    test -e "/run/netns/$1" || return 0
    pids=$(ip netns pids "$1" 2>/dev/null)
    if test -n "$pids"; then
        kill $pids 2>/dev/null
        for ((i = 0; i < 20; i++)); do
            left=
            for pid in $pids; do
                if _ovn_alive "$pid"; then
                    left="$left $pid"
                fi
            done
            test -z "$left" && break
            sleep 0.1
        done
        if test -n "$left"; then
            kill -KILL $left 2>/dev/null
        fi
    fi
    ip netns del "$1" 2>/dev/null
    return 0
}

# ovn_port_chassis LSP
#
# Prints the name of the chassis that binds logical switch port LSP in the
# SB (Port_Binding.chassis); nothing if none.
ovn_port_chassis() {
    local uuid
    uuid=$(ovn_sbctl --bare --columns=chassis find Port_Binding \
               logical_port="$1") || return 1
    if test -n "$uuid"; then
        ovn_sbctl --bare --columns=name list Chassis "$uuid"
    fi
}

# _ovn_bound LSP CHASSIS: succeeds if CHASSIS binds LSP and has installed
# its flows.
_ovn_bound() {
    test "$(ovn_port_chassis "$1" 2>/dev/null)" = "$2" \
        && on_chassis "$2" ovs-vsctl --bare --columns=external_ids find \
               Interface external_ids:iface-id="$1" 2>/dev/null \
           | grep -q 'ovn-installed="\?true'
}

# ovn_wait_bound LSP CHASSIS
#
# Waits until CHASSIS has claimed LSP (Port_Binding.chassis) and set
# external_ids:ovn-installed=true on its Interface: from then on, the
# port's flows are in br-int.
ovn_wait_bound() {
    ovn_chassis_dir "$2" > /dev/null || return 1
    ovn_wait_until _ovn_bound "$1" "$2"
}

# ---------------------------------------------------------------------------
# Cleanup.

# ovn_cleanup
#
# Stops every daemon of the sandbox (by its pidfile), kills every process
# left in the namespaces it created, and deletes those namespaces, with
# the links in them.  Keeps $OVN_SANDBOX, for its logs.  Safe to call
# twice, from a trap and when ovn_start did not finish.
ovn_cleanup() {
    local pidfile ns
    test -d "$OVN_SANDBOX" || return 0
    for pidfile in "$OVN_SANDBOX"/chassis/*/ovs-portsec-ovn-agent.pid \
                   "$OVN_SANDBOX"/chassis/*/ovn-controller.pid \
                   "$OVN_SANDBOX"/chassis/*/ovs-vswitchd.pid \
                   "$OVN_SANDBOX"/central/northd/ovn-northd.pid \
                   "$OVN_SANDBOX"/chassis/*/ovsdb-server.pid \
                   "$OVN_SANDBOX"/central/*/ovsdb-server.pid; do
        if test -e "$pidfile"; then
            _ovn_kill "$pidfile"
        fi
    done
    if test -e "$OVN_SANDBOX/namespaces"; then
        while read -r ns; do
            _ovn_netns_del "$ns"
        done < "$OVN_SANDBOX/namespaces"
    fi
    return 0
}
