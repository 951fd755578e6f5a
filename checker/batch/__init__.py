"""Batch scoring for oversight offices: every report under some folders, checked on a process
pool, with outputs an office reports upward (``xxgk batch``; docs/batch.md).

The flow, one module per step:

    discovery   paths -> the report files (recursively), plus the files a manifest names
    manifest    the office's CSV of file, agency, kind, year and publication date: it overrides
                what the parser inferred
    worker      pass 1 reads every file and returns a small IndexEntry (agency, year, a text
                fingerprint); pass 2 checks the reports of one agency together, so a report and
                last year's are in the same process
    fingerprint one-permutation MinHash of a report's narrative, for finding copies cheaply
    pairing     IndexEntries -> work units: one per agency (its years in order), each report
                with last year's report and its candidate copies among other agencies (LSH)
    pool        an ordered, windowed process pool that survives a crashing worker
    rows        the small per-report summary rows and the per-rule tally kept in memory
    outputs     results.jsonl written as reports finish; summary.csv/.xlsx, rules.csv and
                index.html at the end
    run         the two passes, the progress bar and the outputs, tied together
"""
