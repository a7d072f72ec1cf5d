"""Where a resource belongs (account and Region), and the switches that hold for a whole account
and Region (VPC Block Public Access options and their exclusions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from vpcdoctor.graph.model.base import _NO_TAGS, Tags


@dataclass(frozen=True, slots=True)
class Origin:
    """The account and Region a resource belongs to (None: the snapshot does not say).

    Attribution (DESIGN, "Several accounts and Regions in one snapshot"): the account its output
    names (``OwnerId``, an ARN), else the nearest enclosing folder named as a 12-digit account
    id, else ``manifest.json``; the Region its ARN or Availability Zone names, else the nearest
    folder named as a Region, else the manifest.
    """

    account: str | None = None
    region: str | None = None


NO_ORIGIN = Origin()

BLOCK_MODES: tuple[str, ...] = ("off", "block-bidirectional", "block-ingress")
"""``InternetGatewayBlockMode`` of describe-vpc-block-public-access-options."""
EXCLUSION_MODES: tuple[str, ...] = ("allow-bidirectional", "allow-egress")
"""``InternetGatewayExclusionMode`` of describe-vpc-block-public-access-exclusions."""
ACTIVE_EXCLUSION_STATES: frozenset[str] = frozenset({"create-complete", "update-complete"})
"""Exclusion states in which the exclusion is in force. An exclusion being created, deleted or
disabled, or whose creation failed, does not exempt anything."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BlockPublicAccessOptions:
    """VPC Block Public Access of one account and Region
    (describe-vpc-block-public-access-options)."""

    account_id: str | None
    region: str | None
    mode: str
    """``off``, ``block-bidirectional`` or ``block-ingress``."""
    state: str | None = None
    """``default-state``, ``update-in-progress``, ``update-complete``."""
    exclusions_allowed: str | None = None
    """``allowed`` or ``not-allowed`` (a declarative policy can forbid exclusions)."""
    managed_by: str | None = None

    @property
    def key(self) -> str:
        return block_public_access_key(self.account_id, self.region)


def block_public_access_key(account_id: str | None, region: str | None) -> str:
    """``Account.block_public_access`` is keyed ``"<account>/<region>"`` (empty when unknown)."""
    return f"{account_id or ''}/{region or ''}"


@dataclass(frozen=True, slots=True, kw_only=True)
class BlockPublicAccessExclusion:
    """One exclusion (describe-vpc-block-public-access-exclusions): a VPC or subnet exempted."""

    id: str
    mode: str
    """``allow-bidirectional`` or ``allow-egress``."""
    resource_arn: str
    resource_id: str | None
    """``vpc-…`` or ``subnet-…``, from the ARN."""
    state: str
    account_id: str | None = None
    region: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_EXCLUSION_STATES


class PublicAccessBlock(NamedTuple):
    """What :meth:`Account.block_public_access_for` answers for one VPC (or subnet): a pair,
    ``mode, exclusion_mode = account.block_public_access_for(vpc_id, subnet_id)``."""

    mode: str | None
    """``off``, ``block-bidirectional``, ``block-ingress``; None: the options were not exported
    for the VPC's account and Region."""
    exclusion_mode: str | None = None
    """``allow-bidirectional`` / ``allow-egress`` of the active exclusion of the subnet (if a
    subnet was asked) else of the VPC; None: no active exclusion (or none exported)."""
