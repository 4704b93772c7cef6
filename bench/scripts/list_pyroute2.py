#!/usr/bin/python3
from pyroute2 import NetNS
ns = NetNS("big")
print(len(ns.get_links()))
ns.close()
