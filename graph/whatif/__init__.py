"""What-if: AWS CLI commands applied to a copy of the account in memory, never to AWS.

``vpcdoctor check|audit|walk --assume FILE`` and the verified plan (``check --plan``) use it::

    from vpcdoctor.graph.whatif import apply_commands, what_if, assume_file
    changed = apply_commands(account, "aws ec2 create-route --route-table-id rtb-1 …")
    changed = apply_commands(account, hop.commands)     # vpcdoctor's own fix, as argv words

The stages: :mod:`.lexer` (shell words of the file), :mod:`.options` (words → API parameters,
from botocore's service model, checked by botocore's validator), :mod:`.handlers` (one per
command of the vocabulary, editing a :class:`~.workspace.Workspace`: mutable copies of the
account's mappings, rebuilt into a new ``Account``). No boto3 client or session is created.
"""

from __future__ import annotations

from vpcdoctor.graph.whatif.apply import (
    Applied,
    WhatIf,
    apply_commands,
    assume_file,
    what_if,
)
from vpcdoctor.graph.whatif.registry import vocabulary

__all__ = ["Applied", "WhatIf", "apply_commands", "assume_file", "vocabulary", "what_if"]
