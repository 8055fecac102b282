"""The contract archive as a source: walk the folders, read each file in worker processes, store
contents, text, keyword hits and documents.

- `walk`: the files under the scanned roots, named as stored, never leaving the roots;
- `reader`: one file → its content and hits (worker side), `pool`: the workers, with a deadline;
- `store`: outcomes → rows (writer side), `scan`: the loop between them;
- `failures`, `keywordfile`, `refind`: what is remembered between runs;
- `load`: the source's step, `scan_archives`, as the commands run it.
Which system a document is about is decided later, from what is stored (`tuscan.identify`).
"""
