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

# ovs-portsec's sources, as an automake fragment of upstream Open vSwitch.
# Upstream's Makefile.am includes this file (patches/), and our build links
# it and the files it names into the assembled upstream tree.

lib_libopenvswitch_la_SOURCES += \
	lib/port-security.c \
	lib/port-security.h \
	lib/portsec-admission.c \
	lib/portsec-admission.h \
	lib/portsec-binding.c \
	lib/portsec-binding.h \
	lib/portsec-defaults.c \
	lib/portsec-dhcp.c \
	lib/portsec-dhcp.h \
	lib/portsec-inspect.c \
	lib/portsec-inspect.h

ofproto_libofproto_la_SOURCES += \
	datapath-ext/dpext.c \
	datapath-ext/dpext.h \
	datapath-ext/portsec-dpext.h \
	ofproto/ofproto-dpif-portsec.c \
	ofproto/ofproto-dpif-portsec-admit.c \
	ofproto/ofproto-dpif-portsec-class.c \
	ofproto/ofproto-dpif-portsec-dpext.c \
	ofproto/ofproto-dpif-portsec-dpext-private.h \
	ofproto/ofproto-dpif-portsec-dpext-sync.c \
	ofproto/ofproto-dpif-portsec-l2proto.c \
	ofproto/ofproto-dpif-portsec-owner.c \
	ofproto/ofproto-dpif-portsec-private.h \
	ofproto/ofproto-dpif-portsec-snoop.c \
	ofproto/ofproto-dpif-portsec-status.c \
	ofproto/ofproto-dpif-portsec-storm.c \
	ofproto/ofproto-dpif-portsec-suppress.c \
	ofproto/ofproto-dpif-portsec-unixctl.c \
	ofproto/ofproto-dpif-portsec-xcache.c \
	ofproto/ofproto-dpif-portsec.h \
	ofproto/ofproto-portsec.c \
	ofproto/ofproto-portsec.h

vswitchd_ovs_vswitchd_SOURCES += \
	vswitchd/bridge-portsec.c \
	vswitchd/bridge-portsec.h

tests_ovstest_SOURCES += \
	tests/portsec-test-lib.c \
	tests/portsec-test-lib.h \
	tests/test-port-security.c \
	tests/test-portsec-dhcp.c

# The dispatch of ofproto/ofproto-portsec.h to the providers, with test
# providers of its own (tests/port-security-unit.at).
noinst_PROGRAMS += tests/test-portsec-provider
tests_test_portsec_provider_SOURCES = tests/test-portsec-provider.c
tests_test_portsec_provider_LDADD = ofproto/libofproto.la lib/libsflow.la \
	lib/libopenvswitch.la

# The microbenchmark of the address owner lookups (utilities/bench/owner.sh),
# linked like ovs-vswitchd: it calls ofproto-dpif-portsec's own functions.
noinst_PROGRAMS += tests/test-portsec-owner
tests_test_portsec_owner_SOURCES = tests/test-portsec-owner.c
tests_test_portsec_owner_LDADD = ofproto/libofproto.la lib/libsflow.la \
	lib/libopenvswitch.la

# Every autotest file, so that editing one rebuilds the testsuite that
# includes it: tests/port-security-testsuite.at and
# tests/system-port-security-testsuite.at include the rest, the shared
# macros first.
TESTSUITE_AT += \
	tests/port-security-testsuite.at \
	tests/port-security.at \
	tests/port-security-addr-snooping.at \
	tests/port-security-central.at \
	tests/port-security-controller-snooping.at \
	tests/port-security-defaults.at \
	tests/port-security-macros.at \
	tests/port-security-metrics.at \
	tests/port-security-schema.at \
	tests/port-security-snooping.at \
	tests/port-security-storm.at \
	tests/port-security-suppression.at \
	tests/port-security-unit.at

SYSTEM_USERSPACE_TESTSUITE_AT += \
	tests/system-port-security-testsuite.at \
	tests/port-security-macros.at \
	tests/system-port-security.at \
	tests/system-port-security-addr-snooping.at \
	tests/system-port-security-controller.at \
	tests/system-port-security-storm.at \
	tests/system-port-security-l2proto.at \
	tests/system-port-security-suppression.at \
	tests/system-port-security-ovn.at

# The per-chassis agent for OVN and its central status command, with their
# manual pages (made from the .8.in files by upstream's ".in" rule, which
# fills in @VERSION@ and the configured @RUNDIR@ and @LOGDIR@).  The
# packages ship them in a package of their own, openvswitch-portsec-ovn-agent
# (debian/, rhel/).
bin_SCRIPTS += \
	utilities/ovs-portsec-ovn-agent \
	utilities/ovs-portsec-ovn-status
man_MANS += \
	utilities/ovs-portsec-ovn-agent.8 \
	utilities/ovs-portsec-ovn-status.8
EXTRA_DIST += \
	utilities/ovs-portsec-ovn-agent \
	utilities/ovs-portsec-ovn-agent.8.in \
	utilities/ovs-portsec-ovn-status \
	utilities/ovs-portsec-ovn-status.8.in
CLEANFILES += \
	utilities/ovs-portsec-ovn-agent.8 \
	utilities/ovs-portsec-ovn-status.8

# datapath-ext: the eBPF object, built with clang -target bpf and embedded
# in ovs-vswitchd through a "bpftool gen skeleton" header
# (datapath-ext/dpext.c), and its BPF_PROG_TEST_RUN tests.
if PORTSEC_DATAPATH_EXT
ofproto_libofproto_la_LIBADD += $(PORTSEC_BPF_LIBS)

BUILT_SOURCES += datapath-ext/portsec.skel.h
CLEANFILES += datapath-ext/portsec.bpf.o datapath-ext/portsec.skel.h

datapath-ext/portsec.bpf.o: datapath-ext/portsec.bpf.c \
		datapath-ext/portsec-dpext.h
	$(AM_V_GEN)$(BPF_CLANG) -O2 -g -Wall -Werror -target bpf \
	    $(BPF_CPPFLAGS) -I$(srcdir)/datapath-ext \
	    -c $(srcdir)/datapath-ext/portsec.bpf.c -o $@

datapath-ext/portsec.skel.h: datapath-ext/portsec.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen skeleton $< name portsec > $@.tmp \
	    && mv $@.tmp $@

noinst_PROGRAMS += tests/test-portsec-dpext
tests_test_portsec_dpext_SOURCES = tests/test-portsec-dpext.c \
	tests/portsec-test-lib.c tests/portsec-test-lib.h
tests_test_portsec_dpext_CPPFLAGS = $(AM_CPPFLAGS) -I datapath-ext \
	-I $(srcdir)/datapath-ext
tests_test_portsec_dpext_LDADD = lib/libopenvswitch.la $(PORTSEC_BPF_LIBS)
endif
EXTRA_DIST += datapath-ext/portsec.bpf.c
