"""A generated file that an evaluator can verify (issue 25).

Every dossier Watcher generates carries a **manifest**: the watch, the group, the period and, for
each piece of evidence, its identity and a content hash, signed with the watch's Ed25519 key.

- `keys`: the watch's signing key (a 0600 file beside the store, or $WATCHER_SIGNING_KEY), its
  public key and fingerprint;
- `manifest`: the manifest of a dossier's data (pure), its signature and the envelope embedded in
  the files (`seal`, `open_envelope`);
- `embed`: where each format keeps the envelope (HTML script, PDF attachment, DOCX/PPTX custom
  XML part, XLSX hidden sheet) and how to find it again;
- `file_text`: what a file shows (its words and its web addresses), read with the libraries a
  person's tools use, tolerant to layout;
- `compare`: the pure comparison of a manifest with the file and with the watch's records, and
  the French report, section by section.

`watcher.jobs.verify` is the use case (CLI `watcher verify`, the web upload form).
"""
