"""Where accounts come from: snapshot files (recognised, checked against botocore shapes,
parsed), the authenticated cache, and :func:`~.opener.open_account` choosing between them and
live AWS."""
