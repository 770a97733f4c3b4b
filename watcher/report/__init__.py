"""Report: the weekly digest, the block-1 dossier and the files they are made of."""
