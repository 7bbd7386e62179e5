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

"""A reactive L2 learning switch for os-ken that never uses NORMAL.

Used by tests/system-port-security-controller.at to check that port
security holds under a real OpenFlow controller:

    osken-manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port PORT \\
        tests/portsec-osken-switch.py

OpenFlow 1.3 only.  When a switch connects, the application installs a
table-miss flow that sends every packet to the controller.  On each
packet-in it learns the packet's in_port for its eth_src; if the eth_dst
is known, it installs "priority=10, in_port=X, eth_dst=D, actions=output:Y"
and sends the packet there, otherwise it floods the packet with a
packet-out to FLOOD.

It appends what it sees, one line per event, to the file named by the
environment variable PORTSEC_OSKEN_EVENTS (default osken-events.txt in the
current directory), for the test to grep:

    packet-in dpid=D in_port=N eth_src=MAC eth_dst=MAC
    port-status dpid=D reason=ADD|DELETE|MODIFY port_no=N name=NAME
        state=0xS blocked=0|1 live=0|1        (on one line)
"""

import os

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER
from os_ken.controller.handler import MAIN_DISPATCHER
from os_ken.controller.handler import set_ev_cls
from os_ken.lib.packet import ethernet
from os_ken.lib.packet import packet
from os_ken.ofproto import ofproto_v1_3


class PortsecLearningSwitch(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mac_to_port = {}   # dpid -> {eth_src: in_port}
        path = os.environ.get('PORTSEC_OSKEN_EVENTS', 'osken-events.txt')
        self.event_log = open(path, 'a', buffering=1)   # Line buffered.

    def _event(self, line):
        self.event_log.write(line + '\n')

    @staticmethod
    def _add_flow(dp, priority, match, actions):
        ofp, parser = dp.ofproto, dp.ofproto_parser
        inst = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS,
                                             actions)]
        dp.send_msg(parser.OFPFlowMod(datapath=dp, priority=priority,
                                      match=match, instructions=inst))

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def switch_features_handler(self, ev):
        dp = ev.msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser

        # Table miss: the whole packet to the controller.
        self.mac_to_port[dp.id] = {}
        actions = [parser.OFPActionOutput(ofp.OFPP_CONTROLLER,
                                          ofp.OFPCML_NO_BUFFER)]
        self._add_flow(dp, 0, parser.OFPMatch(), actions)

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in_handler(self, ev):
        msg = ev.msg
        dp = msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        in_port = msg.match['in_port']

        eth = packet.Packet(msg.data).get_protocol(ethernet.ethernet)
        if eth is None:
            return
        self._event('packet-in dpid=%d in_port=%d eth_src=%s eth_dst=%s'
                    % (dp.id, in_port, eth.src, eth.dst))

        macs = self.mac_to_port.setdefault(dp.id, {})
        macs[eth.src] = in_port

        out_port = macs.get(eth.dst, ofp.OFPP_FLOOD)
        if out_port == in_port:
            return
        actions = [parser.OFPActionOutput(out_port)]
        if out_port != ofp.OFPP_FLOOD:
            match = parser.OFPMatch(in_port=in_port, eth_dst=eth.dst)
            self._add_flow(dp, 10, match, actions)

        # The table-miss flow does not buffer: send the packet's data back.
        dp.send_msg(parser.OFPPacketOut(datapath=dp,
                                        buffer_id=ofp.OFP_NO_BUFFER,
                                        in_port=in_port, actions=actions,
                                        data=msg.data))

    @set_ev_cls(ofp_event.EventOFPPortStatus, MAIN_DISPATCHER)
    def port_status_handler(self, ev):
        msg = ev.msg
        ofp = msg.datapath.ofproto
        desc = msg.desc
        reason = {ofp.OFPPR_ADD: 'ADD',
                  ofp.OFPPR_DELETE: 'DELETE',
                  ofp.OFPPR_MODIFY: 'MODIFY'}.get(msg.reason, str(msg.reason))
        name = desc.name
        if isinstance(name, bytes):
            name = name.decode(errors='replace')
        self._event('port-status dpid=%d reason=%s port_no=%d name=%s '
                    'state=%#x blocked=%d live=%d'
                    % (msg.datapath.id, reason, desc.port_no, name,
                       desc.state, bool(desc.state & ofp.OFPPS_BLOCKED),
                       bool(desc.state & ofp.OFPPS_LIVE)))
