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

# Shell functions shared by build-aux/build-deb and build-aux/build-rpm,
# and by the upgrade tests tests/packaging/run-upgrade and tests/upgrade/run.

# copy_tree SRC DST: copies the assembled tree SRC to DST, with our
# symlinks replaced by the files they point to and without the
# by-products of assembling it (stamps, autoreconf's cache and log, the
# upstream copies of the merged schema and documentation).  Nor does it
# copy python/ovs/dirs.py, which openvswitch-source's tarball carries as
# made for the default prefix (/usr/local/var/run/openvswitch...), newer
# than the dirs.py.template it is made from, so that the build would not
# make it again: Debian's python3-openvswitch, which setup.py installs
# from the source directory, then looked for every daemon's control
# socket and for ovsdb-server in /usr/local.  Without it, the build makes
# it with the configured directories, as it does from upstream's git.
copy_tree () {
    mkdir -p "$2"
    tar -C "$1" -chf - \
        --exclude=./autom4te.cache --exclude=./autoreconf.log \
        --exclude='./.portsec-*' --exclude='*.upstream' \
        --exclude=./python/ovs/dirs.py . \
        | tar -C "$2" -xf -
}

# apply_series DIR PATCHDIR: applies the patches that PATCHDIR/series
# lists to DIR, with no fuzz, as the build applies patches/series.
apply_series () {
    for p in $(grep -v '^#' "$2/series"); do
        echo "  PATCH    ${2#"$top"/}/$p"
        patch -d "$1" -p1 --fuzz=0 --batch --forward \
            --no-backup-if-mismatch -i "$2/$p" > /dev/null \
            || { echo "$0: $2/$p does not apply" >&2; return 1; }
    done
}

# next_build VERSION: prints the version of the next build of ours after
# VERSION (3.1.0-2+deb12u1+portsec1 -> ...+portsec2).
next_build () {
    echo "${1%[0-9]*}$(( ${1##*portsec} + 1 ))"
}

# repack DEB FROM TO DIR: writes DEB with version FROM changed to TO (in
# its version and in its dependencies on its siblings) into DIR.  Stands
# for a newer build of the same packages: same files, same maintainer
# scripts, as a rebuild of the same source with a higher version has.
repack () {
    local tmp
    tmp=$(mktemp -d)
    dpkg-deb -R "$1" "$tmp/pkg"
    sed -i "s/$(echo "$2" | sed 's/[.]/\\./g')/$3/g" "$tmp/pkg/DEBIAN/control"
    dpkg-deb -b -Zxz "$tmp/pkg" "$4" > /dev/null
    rm -rf "$tmp"
}
