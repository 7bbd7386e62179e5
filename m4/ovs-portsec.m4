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

dnl PORTSEC_CHECK_DATAPATH_EXT
dnl
dnl --enable-datapath-ext[=yes|no|auto]: builds datapath-ext (eBPF programs
dnl compiled with clang -target bpf, embedded in ovs-vswitchd through a
dnl "bpftool gen skeleton" header, loaded with libbpf).  "auto", the
dnl default, builds it when clang, bpftool and libbpf are all present;
dnl "yes" fails if one is missing.  Defines HAVE_PORTSEC_DATAPATH_EXT and
dnl the automake conditional PORTSEC_DATAPATH_EXT, and substitutes
dnl BPF_CLANG, BPFTOOL, BPF_CPPFLAGS and PORTSEC_BPF_LIBS.
AC_DEFUN([PORTSEC_CHECK_DATAPATH_EXT], [
  AC_ARG_ENABLE(
    [datapath-ext],
    [AS_HELP_STRING([--enable-datapath-ext@<:@=auto@:>@],
                    [build datapath-ext, ovs-portsec's eBPF filters
                     (yes, no or auto)])],
    [case "${enableval}" in
       (yes | no | auto) ;;
       (*) AC_MSG_ERROR([bad value ${enableval} for --enable-datapath-ext]) ;;
     esac],
    [enable_datapath_ext=auto])

  portsec_dpext=no
  PORTSEC_BPF_LIBS=
  if test "$enable_datapath_ext" != no; then
    missing=
    AC_PATH_PROGS([BPF_CLANG], [clang clang-14 clang-15 clang-16])
    test -n "$BPF_CLANG" || missing="$missing clang"
    AC_PATH_PROG([BPFTOOL], [bpftool], [], [$PATH:/usr/sbin:/sbin])
    test -n "$BPFTOOL" || missing="$missing bpftool"
    AC_CHECK_HEADER([bpf/libbpf.h], [], [missing="$missing bpf/libbpf.h"])
    AC_CHECK_LIB([bpf], [bpf_tc_attach], [PORTSEC_BPF_LIBS=-lbpf],
                 [missing="$missing libbpf"])
    if test -z "$missing"; then
      portsec_dpext=yes
    elif test "$enable_datapath_ext" = yes; then
      AC_MSG_ERROR([--enable-datapath-ext needs:$missing])
    fi
    dnl clang -target bpf needs the multiarch directory for <asm/types.h>.
    multiarch=`$CC -print-multiarch 2>/dev/null`
    BPF_CPPFLAGS=
    if test -n "$multiarch" && test -d "/usr/include/$multiarch"; then
      BPF_CPPFLAGS="-I/usr/include/$multiarch"
    fi
  fi
  AC_MSG_CHECKING([whether to build datapath-ext])
  AC_MSG_RESULT([$portsec_dpext])
  if test $portsec_dpext = yes; then
    AC_DEFINE([HAVE_PORTSEC_DATAPATH_EXT], [1],
              [Define to 1 to build ovs-portsec's datapath-ext.])
  fi
  AC_SUBST([BPF_CPPFLAGS])
  AC_SUBST([PORTSEC_BPF_LIBS])
  AM_CONDITIONAL([PORTSEC_DATAPATH_EXT], [test $portsec_dpext = yes])
])
