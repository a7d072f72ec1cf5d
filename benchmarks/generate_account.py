"""Write a large synthetic AWS account as an offline snapshot (deterministic by seed).

The output is the layout ``vpcdoctor export`` writes (``<service>/<kind>[@owner].json``), each
file shaped like the unmodified ``aws … --output json`` answer, so it loads through the normal
loader and its botocore shape validation. At ``--scale 1.0``:

* 50 VPCs, 3,000 subnets, 1,500 route tables (local, IGW, NAT, gateway-endpoint prefix-list,
  customer prefix-list, peering, transit-gateway and blackhole routes), 2,000 network ACLs;
* 5,000 security groups with 50,000 flattened rules (CIDR, prefix-list and group references);
* 20,000 network interfaces: Hyperplane ENIs shared per (subnet, security-group set), NAT
  gateway and interface-endpoint ENIs, instance ENIs;
* 2,040 Lambda functions (2,000 attached to a VPC), each with get-function-configuration;
* 40 peering connections, a transit gateway with two route tables and their routes;
* 300 private hosted zones with 100,000 records, Resolver endpoints, rules and associations,
  VPC DNS attributes, DHCP options, prefix lists with entries, load balancers, databases.

Usage::

    python benchmarks/generate_account.py OUT_DIR --seed 1 [--scale 1.0]

``OUT_DIR`` should be under ``/tmp`` or ``benchmarks/out/`` (gitignored): never commit it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: its parts are the benchmarks.account package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.account.base import ACCOUNT, GeneratorBase
from benchmarks.account.compute import ComputeOutputs
from benchmarks.account.dns import DnsOutputs
from benchmarks.account.filters import FilterOutputs
from benchmarks.account.vpcs import VpcOutputs


class Generator(VpcOutputs, FilterOutputs, ComputeOutputs, DnsOutputs, GeneratorBase):
    """Builds every output in memory, one kind at a time, and writes it."""

    # ---- the account -------------------------------------------------------------------
    def run(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        self.write(
            "sts",
            "get-caller-identity",
            {
                "UserId": "AIDAEXAMPLEAUDITOR0001",
                "Account": ACCOUNT,
                "Arn": f"arn:aws:iam::{ACCOUNT}:user/network-auditor",
            },
        )
        self.plan_vpcs()
        self.prefix_lists()
        self.vpc_outputs()
        self.peering()
        self.gateways()
        self.endpoints_and_enis_prep()
        self.security_groups()
        self.route_tables()
        self.network_acls()
        self.transit_gateway()
        self.functions_and_enis()
        self.load_balancers_and_databases()
        self.route53()
        self.resolver()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="directory to write (created; files replaced)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiply the resource counts (0.1 for a quick small account)",
    )
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument(
        "--check",
        action="store_true",
        help="also check every file against botocore's output shape, strictly (slow)",
    )
    args = parser.parse_args(argv)
    gen = Generator(args.out, seed=args.seed, scale=args.scale, check=args.check)
    gen.run()
    for error in gen.errors[:50]:
        print(error, file=sys.stderr)
    if gen.errors:
        print(f"{len(gen.errors)} problems", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"wrote {gen.files} files, {gen.bytes / 1e6:.1f} MB to {args.out}")
        for what, n in gen.counts.items():
            print(f"  {n:>7} {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
